import type { CommandMenu, MenuCommand } from '../../src/engine/command-menu';
import { COMMAND_MENU } from '../../dialogs/command-menu';

/** Teams refuses an app whose bot command list holds more than 10 commands. */
export const TEAMS_LIST_MAX = 10;

/** The bot's two command lists in the Teams app manifest. */
export interface TeamsCommandLists {
  /** The personal chat: the first 10 of the menu. */
  readonly personal: readonly MenuCommand[];
  /** Teams and group chats: the first 10 of those that work there (not private-chat-only). */
  readonly groups: readonly MenuCommand[];
}

/**
 * The menu is ordered by importance (dialogs/command-menu.ts), so keeping the first 10 drops the
 * least important ones (today /language and /start; both still work when typed). A privacy
 * command that would not fit is a bug to fix in the menu's order, not something to drop quietly.
 */
export function teamsCommandLists(menu: CommandMenu): TeamsCommandLists {
  const personal = menu.commands.slice(0, TEAMS_LIST_MAX);
  const dropped = menu.commands.slice(TEAMS_LIST_MAX).filter((command) => command.privacy);
  if (dropped.length > 0) {
    throw new Error(
      `teams: privacy commands past the first ${TEAMS_LIST_MAX}: ${dropped.map((c) => c.name).join(', ')}`,
    );
  }
  const groups = menu.commands.filter((command) => command.inGroups).slice(0, TEAMS_LIST_MAX);
  return { personal, groups };
}

// Every menu command, not only the listed ones: a person may type any of them bare.
const COMMAND_WORDS: ReadonlySet<string> = new Set(COMMAND_MENU.map((entry) => entry.command.slice(1)));

/**
 * Picking a command in the Teams command menu sends its bare title, `privacy`, while the engine
 * routes commands as `/privacy`, as Telegram and Discord send them. `privacy` → `/privacy`; any
 * other text unchanged.
 */
export function asSlashCommand(text: string): string {
  const word = text.trim().toLowerCase();
  return COMMAND_WORDS.has(word) ? `/${word}` : text;
}
