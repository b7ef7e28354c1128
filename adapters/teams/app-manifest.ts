import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AppConfig } from '../../src/config/config';
import { ConfigError } from '../../src/core/errors';
import { isRecord } from './activity-shape';
import { LocaleTexts } from '../../src/i18n/locale-texts';
import { BASE_LOCALE, LOCALES_FOLDER, type Locale } from '../../src/i18n/locales';
import { defaultCommandMenu } from '../default-menu';
import { ACCENT_COLOR, colorIcon, outlineIcon } from './app-icons';
import { teamsCommandLists } from './commands';

export const MANIFEST_DIR = path.join(__dirname, 'manifest');

/** What the Teams app package is made from; all of it comes from configuration. */
export interface TeamsAppInputs {
  /** The Azure Bot's app registration id; also used as the Teams app id. */
  readonly appId: string;
  readonly privacyPolicyUrl: string;
  readonly termsUrl: string;
  readonly privacyContact: string;
  readonly version: string;
  /** Shown as the publisher; defaults to the privacy policy's host. At most 32 characters. */
  readonly developerName?: string;
}

export interface AppPackageFile {
  readonly name: string;
  readonly bytes: Buffer;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Teams store validation rejects an app without a public privacy policy and terms of use, and
 * the manifest needs the bot's GUID: each missing piece is reported by its variable.
 */
export function teamsAppInputsFromConfig(
  config: Pick<AppConfig, 'channels' | 'privacy'>,
  version: string,
): TeamsAppInputs {
  const { appId } = config.channels.settings.teams;
  const { policyUrl, termsUrl, contact } = config.privacy;
  if (!appId) throw new ConfigError('MICROSOFT_APP_ID: required to package the Teams app');
  if (!GUID.test(appId))
    throw new ConfigError('MICROSOFT_APP_ID: must be the GUID of the bot app registration');
  if (!policyUrl) throw new ConfigError('PRIVACY_POLICY_URL: required to package the Teams app');
  if (!termsUrl) throw new ConfigError('TERMS_URL: required to package the Teams app');
  if (!policyUrl.startsWith('https://')) throw new ConfigError('PRIVACY_POLICY_URL: must be an https:// URL');
  if (!termsUrl.startsWith('https://')) throw new ConfigError('TERMS_URL: must be an https:// URL');
  return { appId, privacyPolicyUrl: policyUrl, termsUrl, privacyContact: contact, version };
}

/** Where the manifest's texts come from: the menu and the `about.*` texts of a locales folder. */
export interface AppTextSources {
  readonly manifestDir?: string;
  /** locales/ unless given: a test builds the package from a copy with one more language. */
  readonly localesDir?: string;
}

/**
 * manifest.json, one language file per locale other than the base one, and the two icons, ready
 * to zip. Names, descriptions and the command lists come from locales/ and the dialog registry's
 * menu, so a new locale folder is a new language in the app without editing anything here.
 */
export function renderAppFiles(inputs: TeamsAppInputs, sources: AppTextSources = {}): AppPackageFile[] {
  const values = placeholderValues(inputs);
  const texts = LocaleTexts.read(sources.localesDir ?? LOCALES_FOLDER);
  const lists = teamsCommandLists(defaultCommandMenu(sources.localesDir ?? LOCALES_FOLDER));
  const template = readJson(path.join(sources.manifestDir ?? MANIFEST_DIR, 'manifest.template.json'));
  const manifest = fill(template, values);
  if (!isRecord(manifest)) throw new Error('manifest template is not a JSON object');
  // Policy and terms may share a host; the manifest wants each domain once.
  if (Array.isArray(manifest.validDomains)) manifest.validDomains = [...new Set(manifest.validDomains)];
  const about = (locale: Locale) => aboutTexts(texts, locale, inputs);
  const base = about(BASE_LOCALE);
  manifest.name = { short: base.nameShort, full: base.nameFull };
  manifest.description = { short: base.descriptionShort, full: base.descriptionFull };
  const others = texts.locales.filter((locale) => locale !== BASE_LOCALE);
  manifest.localizationInfo = {
    defaultLanguageTag: BASE_LOCALE,
    additionalLanguages: others.map((locale) => ({ languageTag: locale, file: `${locale}.json` })),
  };
  const commandLists = [
    { scopes: ['personal'], commands: lists.personal },
    { scopes: ['team', 'groupChat'], commands: lists.groups },
  ];
  const bot: unknown = Array.isArray(manifest.bots) ? manifest.bots[0] : undefined;
  if (!isRecord(bot)) throw new Error('manifest template has no bot');
  bot.commandLists = commandLists.map((list) => ({
    scopes: list.scopes,
    commands: list.commands.map((command) => ({
      title: command.name,
      description: limited(command.description[BASE_LOCALE], COMMAND_DESCRIPTION_MAX),
    })),
  }));
  const languageFiles = others.map((locale) => {
    const localized = about(locale);
    const strings: Record<string, string> = {
      $schema: LOCALIZATION_SCHEMA,
      'name.short': localized.nameShort,
      'name.full': localized.nameFull,
      'description.short': localized.descriptionShort,
      'description.full': localized.descriptionFull,
    };
    commandLists.forEach((list, l) =>
      list.commands.forEach((command, c) => {
        strings[`bots[0].commandLists[${l}].commands[${c}].description`] = limited(
          command.description[locale],
          COMMAND_DESCRIPTION_MAX,
        );
      }),
    );
    return { name: `${locale}.json`, bytes: toJsonBytes(strings) };
  });
  return [
    { name: 'manifest.json', bytes: toJsonBytes(manifest) },
    ...languageFiles,
    { name: 'color.png', bytes: colorIcon() },
    { name: 'outline.png', bytes: outlineIcon() },
  ];
}

const LOCALIZATION_SCHEMA =
  'https://developer.microsoft.com/en-us/json-schemas/teams/v1.17/MicrosoftTeams.Localization.schema.json';
// The Teams manifest schema's maxLength for each text.
const COMMAND_DESCRIPTION_MAX = 128;
const NAME_SHORT_MAX = 30;
const NAME_FULL_MAX = 100;
const DESCRIPTION_SHORT_MAX = 80;
const DESCRIPTION_FULL_MAX = 4000;

/** A text over the schema's limit fails the build: Teams would refuse the package. */
function limited(text: string | undefined, max: number): string {
  if (!text || text.length > max)
    throw new Error(`teams manifest: a text is empty or over ${max} characters`);
  return text;
}

function aboutTexts(texts: LocaleTexts, locale: Locale, inputs: TeamsAppInputs) {
  const description = texts
    .text(locale, 'about.description')
    .replace('{{policyUrl}}', inputs.privacyPolicyUrl)
    .replace('{{contact}}', inputs.privacyContact);
  return {
    nameShort: limited(texts.text(locale, 'about.name'), NAME_SHORT_MAX),
    nameFull: limited(texts.text(locale, 'about.fullName'), NAME_FULL_MAX),
    descriptionShort: limited(texts.text(locale, 'about.summary'), DESCRIPTION_SHORT_MAX),
    descriptionFull: limited(description, DESCRIPTION_FULL_MAX),
  };
}

function placeholderValues(inputs: TeamsAppInputs): Readonly<Record<string, string>> {
  const policy = new URL(inputs.privacyPolicyUrl);
  return {
    MICROSOFT_APP_ID: inputs.appId,
    APP_VERSION: inputs.version,
    DEVELOPER_NAME: (inputs.developerName ?? policy.hostname).slice(0, 32),
    WEBSITE_URL: `${policy.origin}/`,
    PRIVACY_POLICY_URL: inputs.privacyPolicyUrl,
    TERMS_URL: inputs.termsUrl,
    PRIVACY_CONTACT: inputs.privacyContact,
    POLICY_HOST: policy.hostname,
    TERMS_HOST: new URL(inputs.termsUrl).hostname,
    ACCENT_COLOR,
  };
}

/** Replaces `{{NAME}}` in every string; an unknown name is a template bug and fails the build. */
function fill(value: unknown, values: Readonly<Record<string, string>>): unknown {
  if (typeof value === 'string') {
    return value.replace(/\{\{(\w+)\}\}/g, (_match, name: string) => {
      const replacement = values[name];
      if (replacement === undefined) throw new Error(`unknown placeholder in Teams manifest: ${name}`);
      return replacement;
    });
  }
  if (Array.isArray(value)) return value.map((item) => fill(item, values));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, values)]));
  return value;
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function toJsonBytes(value: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
}
