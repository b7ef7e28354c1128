import { loadConfig } from '../../../config/config';
import type { PurgeReport, StorageBackend, StorageInventory } from '../../../storage/backend';
import { openStorage } from '../../../storage/open-storage';
import type { CliStreams } from '../../cli-io';
import { requireBotStorage } from '../../operator-storage';
import type { PurgeAllCommand } from '../command-line';
import type { PrivacyCliDeps } from '../deps';
import { utcMinute } from '../format';
import { operatorLogger } from '../open-app';

/**
 * `purge-all`: the last step of shutting the bot down (Telegram's terms: delete the data when the
 * bot is shut down; docs/decommissioning.md). Without --yes a dry run: counts only, exit 2. With
 * --yes every person's consent state, dialog state, history and profile are deleted and every
 * data key is shredded; the consent ledger, the rights requests and the breach register stay
 * until their own retention ends. Needs the bot's database, not its pepper or keys: it names
 * nobody and decrypts nothing.
 */
export async function purgeAll(
  command: PurgeAllCommand,
  deps: PrivacyCliDeps,
  io: CliStreams,
): Promise<number> {
  const env = deps.env ?? process.env;
  const config = loadConfig(env);
  await requireBotStorage(config, 'npm run privacy -- purge-all');
  const storage = await openStorage(config, operatorLogger(deps, env, config));
  try {
    return await purge(storage, command, io, (deps.clock ?? (() => new Date()))());
  } finally {
    await storage.close();
  }
}

async function purge(
  storage: StorageBackend,
  command: PurgeAllCommand,
  io: CliStreams,
  now: Date,
): Promise<number> {
  const before = await storage.inventory();
  if (!command.yes) {
    io.stdout.write(formatDryRun(before));
    io.stderr.write('nothing erased: stop the bot, then run again with --yes to erase\n');
    return 2;
  }
  // Expired rows first, as the bot's sweeper would (it may have been stopped for a while); the
  // purge then takes every personal row, expired or not.
  await storage.sweepExpired(now);
  const report = await storage.purgePersonalData();
  const after = await storage.inventory();
  io.stdout.write(formatPurge(report, after));
  return 0;
}

function formatDryRun(inventory: StorageInventory): string {
  return [
    "purge-all would erase every person's data and shred every data key (dry run: nothing erased):",
    ...personal(inventory),
    ...kept(inventory),
    ...warnings(inventory),
    'Stop the bot first: a running bot still holds unwrapped keys in memory and would store new',
    'data for anyone who writes to it. This is the last step of decommissioning (docs/decommissioning.md).',
    '',
  ].join('\n');
}

function formatPurge(report: PurgeReport, after: StorageInventory): string {
  return [
    "purged: every person's data erased, every data key shredded",
    `  consent states:          ${report.subjects}`,
    `  dialog states:           ${report.conversations}`,
    `  history entries:         ${report.history}`,
    `  profiles:                ${report.profiles}`,
    `  data keys (shredded):    ${report.dataKeys}`,
    ...kept(after),
    '',
  ].join('\n');
}

function personal(inventory: StorageInventory): string[] {
  return [
    `  consent states:          ${inventory.subjects}`,
    `  dialog states:           ${inventory.conversations}`,
    `  history entries:         ${inventory.history}`,
    `  profiles:                ${inventory.profiles}`,
    `  data keys (shredded):    ${inventory.dataKeys}`,
  ];
}

/** The evidence that stays, and until when: after that date the files (or database) can go. */
function kept(inventory: StorageInventory): string[] {
  return [
    'kept as evidence, each entry until its own retention ends (pseudonymous ids only):',
    `  consent ledger entries:  ${inventory.consentLedger}`,
    `  rights requests:         ${inventory.rightsRequests}`,
    `  breaches:                ${inventory.breaches} (notices: ${inventory.breachNotices})`,
    inventory.evidenceUntil
      ? `  the last of it expires ${utcMinute(inventory.evidenceUntil)} UTC; delete the database and its backups then`
      : '  nothing: the database and its backups can be deleted now',
  ];
}

function warnings(inventory: StorageInventory): string[] {
  const lines: string[] = [];
  if (inventory.unansweredRequests > 0)
    lines.push(
      `warning: ${inventory.unansweredRequests} rights request(s) not completed: answer them first ` +
        '(`npm run privacy -- requests --overdue`, `export --user`); after the purge there is nothing to export.',
    );
  if (inventory.restrictedSubjects > 0)
    lines.push(
      `warning: ${inventory.restrictedSubjects} person(s) restricted processing (GDPR Art. 18): they asked ` +
        'that their data be kept, possibly for a legal claim. Export it for them first if they need it.',
    );
  return lines;
}
