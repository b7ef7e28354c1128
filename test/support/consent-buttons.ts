import { existsSync } from 'node:fs';
import path from 'node:path';
import { type ButtonSigner, ConsentButtons } from '../../dialogs/consent/buttons';
import type { NoticeVariant } from '../../dialogs/consent/notice';
import type { App } from '../../src/app';
import { loadConfig } from '../../src/config/config';
import type { ChannelName } from '../../src/core/messages';
import { I18n, LOCALES_DIR } from '../../src/i18n/i18n';
import { isLocale } from '../../src/i18n/locales';
import { SubjectIds, loadPepper } from '../../src/privacy/subject-id';

/**
 * Consent and age buttons end in a tag only the bot can make, for one person and the message that
 * showed them (dialogs/consent/buttons.ts). Tests that are not about onboarding press such a
 * button as if the bot had just shown it: they name it unsigned, `consent:<verb>:<payload>:<locale>`
 * (ADULT_ACCEPTS_ALL is `consent:age:111:adult:en`), and sign it here for the person pressing it.
 * `variant` is the message the button was under: `n` the notice (default), `u` the notice under
 * "my privacy policy has changed", `r` the review of choices (`/consent`).
 */
export interface SignOptions {
  readonly channel?: ChannelName;
  readonly variant?: NoticeVariant;
}

export function signConsentAction(
  signer: ButtonSigner,
  unsigned: string,
  variant: NoticeVariant = 'n',
): string {
  const [dialog, verb, ...rest] = unsigned.split(':');
  const locale = rest.pop();
  if (dialog !== 'consent' || !verb || !isLocale(locale)) {
    throw new Error(`not an unsigned consent button: ${unsigned}`);
  }
  return new ConsentButtons(signer, locale, variant).id(verb, ...rest);
}

/** The button as this app issues it to `user` (a platform user id) on `channel` (console by default). */
export function consentAction(app: App, user: string, unsigned: string, options: SignOptions = {}): string {
  const { subjectIds, config, i18n } = app.services;
  const signer = { subjectIds, subjectId: subjectIds.of(options.channel ?? 'console', user), config, i18n };
  return signConsentAction(signer, unsigned, options.variant);
}

/**
 * The button as a bot in another process issues it (the terminal e2e tests): that process's
 * environment (`DATA_DIR`, and `SUBJECT_ID_PEPPER` unless it uses the pepper file in DATA_DIR, which
 * must exist already: this never creates one).
 */
export async function consentActionFor(
  env: Record<string, string>,
  user: string,
  unsigned: string,
  options: SignOptions = {},
): Promise<string> {
  const config = loadConfig(env);
  if (!config.privacy.pepper && !existsSync(path.join(config.dataDir, 'subject-pepper'))) {
    throw new Error(`no pepper yet in ${config.dataDir}: let the bot start once first`);
  }
  const subjectIds = new SubjectIds(await loadPepper(config.privacy.pepper, config.dataDir));
  const signer = {
    subjectIds,
    subjectId: subjectIds.of(options.channel ?? 'console', user),
    config,
    i18n: I18n.load(LOCALES_DIR, config.defaultLocale),
  };
  return signConsentAction(signer, unsigned, options.variant);
}
