import { throughConsoleJson } from '../../support/console-json';
import { type TestApp, startTestApp } from '../../support/test-app';

/**
 * `npm run chat -- --json` with `{"press": "<label or number>"}`: a script presses the buttons the
 * bot showed that user, the way a person does. Consent buttons are signed per person and message
 * (dialogs/consent/buttons.ts), so writing their ids in advance no longer works; this does.
 */

let harness: TestApp;
afterEach(async () => harness.db.drop());

describe('terminal JSON protocol: {"press"}', () => {
  it('presses the buttons the bot showed that user, by label or number, and nothing else', async () => {
    harness = await startTestApp();
    const t = harness.app.services.i18n.translator('en');
    const replies = await throughConsoleJson(harness.app.engine.handle, [
      { press: 'Accept all' }, // nothing shown yet
      'hello',
      { text: 'hallo', user: 'bea', locale: 'de' },
      { press: 'Accept all' },
      { press: '3' }, // "16 or older"
      { press: 'Alles erlauben', user: 'bea' },
      'remember that the code is 42',
      'what did I tell you?',
    ]);
    expect(replies.map((reply) => [reply.user, reply.text.split('\n')[0]])).toEqual([
      ['local-user', t('input.unknownAction')],
      ['local-user', t('consent.notice').split('\n')[0]],
      ['bea', harness.app.services.i18n.translator('de')('consent.notice').split('\n')[0]],
      ['local-user', t('consent.ageQuestion')],
      ['local-user', expect.stringMatching(/^Saved\. You allowed/)],
      ['bea', harness.app.services.i18n.translator('de')('consent.ageQuestion')],
      ['local-user', t('memory.remembered')],
      ['local-user', expect.stringContaining(t('memory.recallIntro'))],
    ]);
    expect(replies.at(-1)?.text).toContain('the code is 42');
    const ledger = harness.db.sqlite.prepare('SELECT count(*) AS n FROM consent_ledger').get();
    expect(ledger).toEqual({ n: 3 });
  });
});
