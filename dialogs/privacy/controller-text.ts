import type { AppConfig } from '../../src/config/config';
import type { Translate } from '../../src/i18n/i18n';
import { PROCESSOR_ROLE_KEYS, controllerOf, processorsOf } from '../../src/privacy/records-of-processing';

/**
 * GDPR Art. 13(1)(a) and (e): who is responsible for the data (name, postal address, contact) and
 * who processes it on their behalf, or that nobody does; then (unless `platforms` is false: the
 * short consent notice) how messages reach the bot (the platform is no processor of ours: it
 * handles them under its own policy).
 */
export function controllerLines(
  t: Translate,
  config: AppConfig,
  options: { readonly platforms: boolean } = { platforms: true },
): string[] {
  const controller = controllerOf(config);
  const processors = processorsOf(config).map((processor) =>
    processor.role ? `${processor.name} (${t(PROCESSOR_ROLE_KEYS[processor.role])})` : processor.name,
  );
  const lines = [
    t('privacy.controller', { ...controller }),
    processors.length > 0
      ? t('privacy.processors', { processors: processors.join('; ') })
      : t('privacy.processorsNone'),
  ];
  return options.platforms ? [...lines, t('privacy.platforms')] : lines;
}

/** Where to ask and complain, and the right to lodge a complaint with a supervisory authority (Art. 13(2)(d)). */
export function complaintText(t: Translate, config: AppConfig): string {
  return t('privacy.contact', { contact: config.privacy.contact });
}

/** CCPA: no sale or sharing of personal information, and how a person would opt out if that changed. */
export function noSaleText(t: Translate, config: AppConfig): string {
  return t('privacy.noSale', { contact: config.privacy.contact });
}
