import type { App } from '../../../app';
import type { StorageBackend } from '../../../storage/backend';
import type { CliStreams } from '../../cli-io';
import type { RestoreCheckCommand } from '../command-line';
import type { PrivacyCliDeps } from '../deps';
import { withApp } from '../open-app';

interface Orphans {
  readonly subjects: readonly string[];
  readonly history: number;
  readonly profiles: number;
}

/**
 * `restore-check`: the step after restoring a backup of the data file (GDPR Art. 32, tested
 * restore). Backups never hold the data keys, so a person erased after the backup comes back as
 * encrypted rows nobody can read, and as a consent state that would let the bot store for them
 * again. Such people are found as subjects with history or a profile but no data key, and, with
 * --yes, erased again (consent state, dialog state, history, profile), as the erasure did on the
 * live bot. Without --yes a dry run (counts only, exit 2). Everyone with a key is left alone.
 */
export function restoreCheck(
  command: RestoreCheckCommand,
  deps: PrivacyCliDeps,
  io: CliStreams,
): Promise<number> {
  return withApp(deps, async (app, storage) => {
    const found = await orphansIn(app, storage);
    const counts = [
      `  people:           ${found.subjects.length}`,
      `  history entries:  ${found.history}`,
      `  profiles:         ${found.profiles}`,
    ];
    if (found.subjects.length === 0) {
      io.stdout.write(
        'restore-check: every person with encrypted data still has a data key; nothing to erase\n',
      );
      return 0;
    }
    if (!command.yes) {
      io.stdout.write(
        [
          'restore-check: encrypted data without a data key (people erased after the backup was taken;',
          'unreadable, and their consent state would let the bot store for them again). Dry run, nothing erased:',
          ...counts,
          '',
        ].join('\n'),
      );
      io.stderr.write('nothing erased: run again with --yes to erase them, before the bot serves anyone\n');
      return 2;
    }
    let history = 0;
    let profiles = 0;
    for (const subjectId of found.subjects) {
      const erased = await app.services.stores.personalData.eraseAllOf(subjectId);
      history += erased.history;
      profiles += erased.profile ? 1 : 0;
    }
    io.stdout.write(
      [
        'restore-check: erased again the people erased after the backup (consent state, dialog state,',
        'history, profile); the evidence ledgers stay as the backup had them:',
        `  people:           ${found.subjects.length}`,
        `  history entries:  ${history}`,
        `  profiles:         ${profiles}`,
        '',
      ].join('\n'),
    );
    return 0;
  });
}

/** Subjects with history or a profile whose data key is not in the key store, with their counts. */
async function orphansIn(app: App, storage: StorageBackend): Promise<Orphans> {
  const { stores } = app.services;
  const subjects: string[] = [];
  let history = 0;
  let profiles = 0;
  for (const subjectId of await stores.encryptedData.subjectsWithEncryptedData()) {
    if (await storage.dataKeys.find(subjectId)) continue;
    subjects.push(subjectId);
    history += (await stores.history.summary(subjectId)).count;
    if (await stores.profiles.describe(subjectId)) profiles += 1;
  }
  return { subjects, history, profiles };
}
