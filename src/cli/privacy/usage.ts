import { CHANNEL_NAMES } from '../../../adapters';

export const USAGE = `Usage: npm run privacy -- <command> [options]

Data-subject requests that arrive by e-mail, letter or phone, answered from the bot's database;
backups of that database; personal data breaches; shutting the bot down.
Each export and erasure is recorded in the rights-request ledger with origin "operator".

Commands:
  requests                       List rights requests, oldest first.
    --overdue                    Only those not completed and past their due date.
    --limit <n>                  At most n requests (default 1000).
    --json                       One JSON array instead of the table.
  export --user <channel:userId> Export everything stored about one person (the /export file).
    --out <file>                 Write it to a new file (mode 0600; an existing file is never
                                 overwritten). Without --out it goes to stdout.
  erase --user <channel:userId>  Show what would be erased about one person.
    --yes                        Erase it: crypto-shred the data key, delete every document.
  datamap                        The records of processing (GDPR Art. 30): every collection, its
                                 fields, purpose, legal basis, retention and protection.
    --json                       As JSON.
  schema                         The JSON Schema of the export file (docs/export-format.schema.json).
  backup <destination>           Copy the SQLite data file to a new file (mode 0600) with SQLite's
                                 online backup; the bot may keep running. The key file is never
                                 copied: keep its backups apart and short-lived, so a person
                                 erased since stays unreadable. On MongoDB use mongodump instead.

  breach record                  Record a personal data breach (GDPR Art. 33(5)); everyone it
                                 affects sees a notice once, in their language, at their next
                                 message (Art. 34). Without --yes: a dry run showing the record,
                                 how many people it reaches and the notice in every language.
    --what <kind|description>    unauthorized-access, data-copied, keys-exposed, backup-lost,
                                 wrong-recipient or other (translated), or one line of at most
                                 200 characters (shown as written).
    --when <ISO 8601>            When it happened: 2041-03-01 or 2041-03-01T09:30Z.
    --affected all|<file>        all: everyone the bot held any record about when it is recorded.
                                 <file>: one person per line, <channel:userId> or a pseudonymous
                                 id (64 hex characters); blank lines and # comments are skipped.
    --yes                        Record it.
  breach list                    The recorded breaches, with how many people were shown the notice.
    --json                       As JSON.
  purge-all                      Shutting the bot down: show what would be erased (counts only).
    --yes                        Erase every person's data and shred every data key. The consent
                                 ledger, rights requests and breaches stay until their retention
                                 ends, and so do the usage counts (anonymous: they name nobody).
                                 Stop the bot first.

  extend                         A rights request needs longer (GDPR: two more months; CCPA: 45
                                 more days; once, within the first period). Prints the notice the
                                 law asks for, in the person's language, to send by the way the
                                 request came.
    --request <id>               The request, as \`requests\` lists it (rr_...).
    --reason complexity|volume   Why (GDPR Art. 12(3)): the request is complex, or many came at once.
  restore-check                  After restoring a backup of the data file: find people erased
                                 since the backup (encrypted rows, no data key in the key file)
                                 and show the counts (dry run).
    --yes                        Erase them again: consent state, dialog state, history, profile.
  policy                         The privacy policy, generated from the records of processing and
                                 the locale texts (the same as the consent notice and /privacy).
    --locale <en|de|es|fr>       One language, to stdout.
    --out-dir <dir>              Every language, as <dir>/privacy-policy.<locale>.md.
    --template                   Placeholders for the controller, contact and hosting provider,
                                 defaults for the rest: the templates in docs/ (regenerate them
                                 with \`npm run privacy -- policy --template --out-dir docs\`).
  usage                          Anonymous counts of which features are used: per UTC day, how
                                 often each dialog (or the fallback) ran for the people who
                                 consented to these counts. They name nobody.
    --days <n>                   The last n days, today included (default 30).
    --json                       One JSON array of { day, feature, count } instead of the table.

  <channel> is one of ${CHANNEL_NAMES.join(', ')}; <userId> is the person's id on that platform
  (Telegram user id, Discord user id, Teams AAD object id, terminal user name).

Options:
  -h, --help                     Show this help.

Environment: the bot's own. Its database: the SQLite files DATABASE_PATH (default
DATA_DIR/bot.sqlite) and DATA_KEYS_PATH (default beside it), which must exist, or MONGODB_URI
when the bot runs on MongoDB; datamap, schema and policy need none, purge-all needs no pepper or keys. SUBJECT_ID_PEPPER, DATA_DIR,
KEY_PROVIDER, KMS_KEY_ID, LOCAL_MASTER_KEY, RETENTION_*, RIGHTS_REQUEST_DEADLINE, LOG_LEVEL
(default warn for this tool).

Exit codes: 0 done; 1 error; 2 usage error, or erase, breach record, purge-all or restore-check
without --yes (when there is something to erase).
`;
