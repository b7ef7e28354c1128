import { readFileSync } from 'node:fs';
import path from 'node:path';
import { renderTemplate, policyFileName } from '../../../src/cli/privacy/commands/policy';
import { LOCALES } from '../../../src/i18n/locales';

/**
 * Issue 16, item 7: docs/privacy-policy.<locale>.md (the source of the public policy URL the Teams
 * store asks for) are generated from the records of processing and the locale texts. Regenerate
 * them with `npm run privacy -- policy --template --out-dir docs` when either changes.
 */
const docs = path.resolve(__dirname, '../../../docs');

describe('the privacy policy templates in docs/', () => {
  it.each([...LOCALES])('%s is what the generator makes of the current data map and texts', (locale) => {
    const committed = readFileSync(path.join(docs, policyFileName(locale)), 'utf8');
    expect(committed).toBe(renderTemplate(locale));
  });

  it.each([...LOCALES])(
    '%s names the placeholders, AWS KMS as a processor and the complaint right',
    (locale) => {
      const text = renderTemplate(locale);
      for (const placeholder of [
        '[CONTROLLER_NAME]',
        '[CONTROLLER_ADDRESS]',
        '[PRIVACY_CONTACT]',
        '[HOSTING PROVIDER',
      ])
        expect(text).toContain(placeholder);
      expect(text).toContain('Amazon Web Services, AWS Key Management Service');
      // Every heading and list line has text: no key left untranslated, no "{{" left uninterpolated.
      expect(text).not.toMatch(/\{\{|\b(policy|dataMap|privacy|processors|retention)\.[a-zA-Z]/);
    },
  );
});
