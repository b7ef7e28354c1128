import type { AppConfig } from '../../src/config/config';
import type { Translate } from '../../src/i18n/i18n';
import type { NoticeEntry } from '../../src/privacy/records-of-processing';
import { complaintText, controllerLines, noSaleText } from './controller-text';
import { noticeEntries, noticeEntryParts } from './data-map';
import { DEADLINE_KEYS } from './privacy-dialog';

const BASIS_KEYS: Readonly<Record<NoticeEntry['basis'], string>> = {
  consent: 'policy.basis.consent',
  contract: 'policy.basis.contract',
  legalObligation: 'policy.basis.legalObligation',
};

/**
 * The privacy policy as a Markdown page (the public policy URL the Teams store and the platforms
 * ask for), built from the same records of processing and locale texts as the consent notice and
 * /privacy, so the three cannot say different things. `npm run privacy -- policy` prints it;
 * docs/privacy-policy.<locale>.md are its templates (`--template`).
 */
export function policyDocument(t: Translate, config: AppConfig): string {
  const { privacy } = config;
  const rights = t('privacy.rights', { deadline: t(DEADLINE_KEYS[privacy.rightsRequestDeadline]) }).split(
    '\n',
  );
  const sections = [
    `# ${t('policy.title')}`,
    t('policy.intro', { policyVersion: privacy.policyVersion }),
    `## ${t('policy.headings.controller')}`,
    ...controllerLines(t, config),
    `## ${t('privacy.dataMapTitle').replace(/\s*:$/, '')}`,
    dataList(t, config),
    `## ${t('policy.headings.children')}`,
    t('policy.children', { age: privacy.consentMinAge }),
    `## ${t('policy.headings.security')}`,
    t('policy.security'),
    `## ${t('policy.headings.rights')}`,
    [rights[0], '', ...rights.slice(1, -1).map((line) => `- ${line}`)].join('\n'),
    rights.at(-1),
    t('policy.deletion'),
    `## ${t('policy.headings.complaint')}`,
    complaintText(t, config),
    `## ${t('policy.headings.sale')}`,
    noSaleText(t, config),
    `## ${t('policy.headings.changes')}`,
    t('policy.changes'),
  ];
  if (privacy.policyUrl) sections.push(t('privacy.policyLink', { url: privacy.policyUrl }));
  return `${sections.join('\n\n')}\n`;
}

/**
 * Per notice entry: what, then why, on which legal basis, how long and how it is protected. A
 * nested list rather than a table, so the file reads in plain text and Prettier leaves it as it is.
 */
function dataList(t: Translate, config: AppConfig): string {
  return noticeEntries(config)
    .map((entry) => {
      const parts = noticeEntryParts(t, config, entry);
      return [
        `- **${parts.category}**`,
        `  - ${t('policy.columns.purpose')}: ${parts.purpose}`,
        `  - ${t('policy.columns.basis')}: ${t(BASIS_KEYS[entry.basis])}`,
        `  - ${t('policy.columns.retention')}: ${parts.retention}`,
        `  - ${t('policy.columns.protection')}: ${parts.protection}`,
      ].join('\n');
    })
    .join('\n');
}
