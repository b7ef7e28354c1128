import { timingSafeEqual } from 'node:crypto';
import type { AppConfig } from '../../src/config/config';
import { actionId } from '../../src/engine/turn';
import type { Turn } from '../../src/engine/turn';
import type { I18n } from '../../src/i18n/i18n';
import { type Locale, isLocale } from '../../src/i18n/locales';
import { sha256 } from '../../src/privacy/consent-service';
import type { SubjectIds } from '../../src/privacy/subject-id';
import { type NoticeVariant, isNoticeVariant, shownText } from './notice';

export const CONSENT_DIALOG = 'consent';

/**
 * Consent and age buttons carry everything they decide (the choices, the age band, the language
 * and which message put the decision before the person), so nothing is stored before the
 * decision. That alone would let anyone type a button id and grant consent against a notice they
 * never saw. So each id ends in a tag: an HMAC, under a key derived from the pepper, over the
 * person's subject id, the verb, the payload, the language, the message variant and the SHA-256 of
 * that message's exact text. The bot recomputes it when the button comes back: a button made up,
 * issued to someone else, or issued for a notice that has changed since (a new POLICY_VERSION or
 * retention) does not match, and gets "that button no longer works". Still nothing is stored.
 *
 * `consent:age:111:adult:en:n:<tag>`: 16 base64url characters (96 bits) keep the longest id well
 * inside Telegram's 64-byte callback_data.
 */
const TAG_LABEL = 'consent-button/v1';
const TAG_CHARS = 16;

/** Payload parts per verb, before language, variant and tag. */
const PAYLOAD_PARTS: Readonly<Record<string, number>> = { all: 0, none: 0, custom: 1, save: 1, age: 2 };

/** What the tag is computed with: the app's services and the person. */
export interface ButtonSigner {
  readonly subjectIds: SubjectIds;
  readonly subjectId: string;
  readonly config: AppConfig;
  readonly i18n: I18n;
}

/** The buttons under one message of one person, in one language: their ids, and the text they decide against. */
export class ConsentButtons {
  /** The exact text of the message that put the decision before the person. */
  readonly text: string;
  private readonly textHash: string;

  constructor(
    private readonly signer: ButtonSigner,
    readonly locale: Locale,
    readonly variant: NoticeVariant,
  ) {
    ({ text: this.text, hash: this.textHash } = shownTextOf(signer, locale, variant));
  }

  id(verb: string, ...payload: string[]): string {
    return actionId(CONSENT_DIALOG, verb, ...payload, this.locale, this.variant, this.tag(verb, payload));
  }

  /** Whether this tag is the one the bot put on that button for this person and message. */
  issued(verb: string, payload: readonly string[], tag: string): boolean {
    const expected = Buffer.from(this.tag(verb, payload));
    const given = Buffer.from(tag);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private tag(verb: string, payload: readonly string[]): string {
    const value = [this.signer.subjectId, verb, ...payload, this.locale, this.variant, this.textHash].join(
      '\n',
    );
    return this.signer.subjectIds.tag(TAG_LABEL, value).toString('base64url').slice(0, TAG_CHARS);
  }
}

export function signerOf(turn: Turn): ButtonSigner {
  const { subjectIds, config, i18n } = turn.services;
  return { subjectIds, subjectId: turn.subjectId, config, i18n };
}

/** Buttons for the message this turn shows now. */
export function buttonsFor(turn: Turn, variant: NoticeVariant): ConsentButtons {
  return new ConsentButtons(signerOf(turn), turn.locale, variant);
}

export interface PressedButton {
  readonly payload: readonly string[];
  /** The pressed button's language and message; further buttons continue under the same message. */
  readonly buttons: ConsentButtons;
}

/** The button pressed, if the bot issued it to this person for the message it names; else undefined. */
export function pressedButton(turn: Turn, verb: string, args: readonly string[]): PressedButton | undefined {
  const parts = PAYLOAD_PARTS[verb];
  if (parts === undefined || args.length !== parts + 3) return undefined;
  const payload = args.slice(0, parts);
  const [locale, variant, tag] = args.slice(parts);
  if (!isLocale(locale) || !isNoticeVariant(variant) || tag === undefined) return undefined;
  const buttons = new ConsentButtons(signerOf(turn), locale, variant);
  return buttons.issued(verb, payload, tag) ? { payload, buttons } : undefined;
}

/**
 * The shown text and its hash, computed once per app (its texts and configuration) and message:
 * every consent button a turn renders or checks needs them, and the notice is dozens of lookups.
 */
interface Shown {
  readonly text: string;
  readonly hash: string;
}
const shownTexts = new WeakMap<I18n, WeakMap<AppConfig, Map<string, Shown>>>();

function shownTextOf(signer: ButtonSigner, locale: Locale, variant: NoticeVariant): Shown {
  let byConfig = shownTexts.get(signer.i18n);
  if (!byConfig) shownTexts.set(signer.i18n, (byConfig = new WeakMap<AppConfig, Map<string, Shown>>()));
  let byMessage = byConfig.get(signer.config);
  if (!byMessage) byConfig.set(signer.config, (byMessage = new Map<string, Shown>()));
  const key = `${locale}:${variant}`;
  let shown = byMessage.get(key);
  if (!shown) {
    const text = shownText(signer.i18n.translator(locale), signer.config, variant);
    byMessage.set(key, (shown = { text, hash: sha256(text) }));
  }
  return shown;
}
