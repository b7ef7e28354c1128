import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AppConfig } from '../../src/config/config';
import { ConfigError } from '../../src/core/errors';
import { isRecord } from './activity-shape';
import { ACCENT_COLOR, colorIcon, outlineIcon } from './app-icons';

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
  config: Pick<AppConfig, 'teams' | 'privacy'>,
  version: string,
): TeamsAppInputs {
  const { appId } = config.teams;
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

/** manifest.json, its language files and the two icons, ready to zip. */
export function renderAppFiles(inputs: TeamsAppInputs, manifestDir = MANIFEST_DIR): AppPackageFile[] {
  const values = placeholderValues(inputs);
  const manifest = fill(readJson(path.join(manifestDir, 'manifest.template.json')), values);
  if (!isRecord(manifest)) throw new Error('manifest template is not a JSON object');
  // Policy and terms may share a host; the manifest wants each domain once.
  if (Array.isArray(manifest.validDomains)) manifest.validDomains = [...new Set(manifest.validDomains)];
  const languageFiles = languageFileNames(manifest).map((name) => ({
    name,
    bytes: toJsonBytes(fill(readJson(path.join(manifestDir, name)), values)),
  }));
  return [
    { name: 'manifest.json', bytes: toJsonBytes(manifest) },
    ...languageFiles,
    { name: 'color.png', bytes: colorIcon() },
    { name: 'outline.png', bytes: outlineIcon() },
  ];
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

function languageFileNames(manifest: Record<string, unknown>): string[] {
  const info = manifest.localizationInfo;
  const languages = isRecord(info) && Array.isArray(info.additionalLanguages) ? info.additionalLanguages : [];
  return languages.map((language) => {
    if (!isRecord(language) || typeof language.file !== 'string')
      throw new Error('bad additionalLanguages entry');
    return language.file;
  });
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function toJsonBytes(value: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
}
