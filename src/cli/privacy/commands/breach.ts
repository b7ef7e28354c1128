import { promises as fs } from 'node:fs';
import type { App } from '../../../app';
import { ConfigError } from '../../../core/errors';
import { LOCALES } from '../../../i18n/locales';
import {
  BREACH_KINDS,
  type BreachInput,
  breachNoticeText,
  isBreachKind,
  recordBreach,
} from '../../../privacy/breach';
import { evidenceExpiry } from '../../../privacy/deadlines';
import type { BreachOverview, BreachRecord } from '../../../storage/ports';
import type { CliStreams } from '../../cli-io';
import { type BreachListCommand, type BreachRecordCommand, CHANNEL_NAMES, userRefOf } from '../command-line';
import type { PrivacyCliDeps } from '../deps';
import { prettyJson, table, utcMinute } from '../format';
import { withApp } from '../open-app';

const RUNBOOK = 'docs/breach-runbook.md';

/**
 * `breach record`: without --yes a dry run (what would be recorded, how many people it reaches
 * and the notice in every language; exit 2), with --yes the record. Each affected person is
 * shown the notice once, at their next message (src/engine/steps/breach-notice.ts).
 */
export function recordBreachCommand(
  command: BreachRecordCommand,
  deps: PrivacyCliDeps,
  io: CliStreams,
): Promise<number> {
  return withApp(deps, async (app, storage) => {
    const now = app.services.clock();
    let affected: BreachInput['affected'];
    let reach: string;
    if (command.affected === 'all') {
      affected = 'all';
      // GDPR Art. 33(3)(a) asks for the approximate number of people concerned.
      const { people } = await storage.inventory();
      reach = `everyone the bot held any record about when it was recorded (${people} people now)`;
    } else {
      affected = await affectedSubjects(app, command.affected.file);
      reach = `${affected.length} ${affected.length === 1 ? 'person' : 'people'} listed in ${command.affected.file}`;
    }
    const input: BreachInput = { what: command.what, occurredAt: command.occurredAt, affected };
    if (!isBreachKind(command.what))
      io.stderr.write(
        `note: a description is shown as written to everyone, whatever their language; a kind is translated: ${Object.keys(BREACH_KINDS).join(', ')}\n`,
      );
    if (!command.yes) {
      const expiresAt = evidenceExpiry(now, app.services.config.retention.evidenceMonths);
      io.stdout.write(
        [
          'breach to record (dry run: nothing is recorded)',
          ...describe(command.what, command.occurredAt, now, expiresAt, reach),
          '',
          'Each affected person sees this notice once, at their next message, in their language:',
          ...previews(app, { ...input, affectsAll: affected === 'all' }),
          '',
        ].join('\n'),
      );
      io.stderr.write('nothing recorded: run again with --yes to record it\n');
      return 2;
    }
    const breach = await recordBreach(app.services.stores, app.services.config, input, now);
    io.stdout.write(
      [
        `recorded breach ${breach.id}`,
        ...describe(breach.what, breach.occurredAt, breach.recordedAt, breach.expiresAt, reach),
        '',
        'Each affected person sees the notice once, at their next message; `breach list` counts them.',
        `Notify the supervisory authority within 72 hours of becoming aware of it, and the platforms: ${RUNBOOK}.`,
        '',
      ].join('\n'),
    );
    return 0;
  });
}

/** `breach list`: the live breaches, oldest recorded first, with how many were shown the notice. */
export function listBreaches(
  command: BreachListCommand,
  deps: PrivacyCliDeps,
  io: CliStreams,
): Promise<number> {
  return withApp(deps, async (app) => {
    const breaches = await app.services.stores.breaches.list();
    io.stdout.write(command.json ? prettyJson(breaches) : formatBreaches(breaches));
    return 0;
  });
}

function describe(
  what: string,
  occurredAt: Date,
  recordedAt: Date,
  expiresAt: Date,
  reach: string,
): string[] {
  return [
    `  what:         ${isBreachKind(what) ? `${what} (translated into ${LOCALES.join(', ')})` : `"${what}" (as written)`}`,
    `  occurred:     ${utcMinute(occurredAt)} UTC`,
    `  recorded:     ${utcMinute(recordedAt)} UTC`,
    `  affected:     ${reach}`,
    `  kept until:   ${utcMinute(expiresAt)} UTC (evidence), with who has been shown the notice`,
  ];
}

function previews(app: App, breach: Pick<BreachRecord, 'what' | 'occurredAt' | 'affectsAll'>): string[] {
  const { i18n, config } = app.services;
  return LOCALES.flatMap((locale) => [
    `--- ${locale} ---`,
    breachNoticeText(i18n.translator(locale), locale, breach, config),
  ]);
}

function formatBreaches(breaches: readonly BreachOverview[]): string {
  if (breaches.length === 0) return 'no breaches recorded\n';
  const header = ['id', 'recorded', 'occurred', 'what', 'affected', 'notified', 'kept until'];
  const rows = breaches.map((breach) => [
    breach.id,
    utcMinute(breach.recordedAt),
    utcMinute(breach.occurredAt),
    shorten(breach.what, 40),
    breach.affectsAll ? 'all' : String(breach.listed),
    String(breach.notified),
    utcMinute(breach.expiresAt),
  ]);
  return `${table([header, ...rows])}times in UTC\n`;
}

function shorten(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** A pseudonymous subject id as stored: 64 lowercase hex characters. */
const SUBJECT_ID = /^[0-9a-f]{64}$/;

/**
 * The people a breach affects, from a file with one per line: `channel:userId` as `export --user`
 * takes it (turned into the pseudonymous id with the bot's pepper), or a pseudonymous id as the
 * bot stores it. Blank lines and lines starting with # are skipped; duplicates count once. No
 * error repeats a line: it may be someone's platform id.
 */
async function affectedSubjects(app: App, file: string): Promise<string[]> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(`--affected: cannot read the file (${code ?? 'unknown error'})`);
  }
  const subjects = new Set<string>();
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (SUBJECT_ID.test(line)) {
      subjects.add(line);
      continue;
    }
    const user = userRefOf(line);
    if (!user)
      throw new ConfigError(
        `--affected: line ${index + 1} is neither <channel:userId> (channel one of ${CHANNEL_NAMES.join(', ')}) ` +
          'nor a pseudonymous id (64 hex characters)',
      );
    subjects.add(app.services.subjectIds.of(user.channel, user.userId));
  }
  if (subjects.size === 0) throw new ConfigError('--affected: the file names nobody');
  return [...subjects];
}
