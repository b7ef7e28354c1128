export const USAGE = `Usage: npm run privacy -- <command> [options]

Data-subject requests that arrive by e-mail, letter or phone, answered from the bot's database,
and backups of that database.
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

  <channel> is console, telegram, discord or teams; <userId> is the person's id on that platform
  (Telegram user id, Discord user id, Teams AAD object id, terminal user name).

Options:
  -h, --help                     Show this help.

Environment: the bot's own. Its database: the SQLite files DATABASE_PATH (default
DATA_DIR/bot.sqlite) and DATA_KEYS_PATH (default beside it), which must exist, or MONGODB_URI
when the bot runs on MongoDB; datamap and schema need none. SUBJECT_ID_PEPPER, DATA_DIR,
KEY_PROVIDER, KMS_KEY_ID, LOCAL_MASTER_KEY, RETENTION_*, RIGHTS_REQUEST_DUE_DAYS, LOG_LEVEL
(default warn for this tool).

Exit codes: 0 done; 1 error; 2 usage error, or erase without --yes.
`;
