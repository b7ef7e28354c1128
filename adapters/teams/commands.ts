/**
 * The bot commands listed in the Teams app manifest (manifest/manifest.template.json keeps the same
 * words; a test checks). Picking one in the Teams command menu sends its bare title, `privacy`,
 * while the engine routes commands as `/privacy`, as Telegram and Discord send them.
 */
export const TEAMS_COMMANDS = [
  'privacy',
  'mydata',
  'export',
  'delete',
  'consent',
  'stop',
  'help',
  'language',
] as const;

const COMMAND_WORDS: ReadonlySet<string> = new Set(TEAMS_COMMANDS);

/** `privacy` → `/privacy`; any other text unchanged. */
export function asSlashCommand(text: string): string {
  const word = text.trim().toLowerCase();
  return COMMAND_WORDS.has(word) ? `/${word}` : text;
}
