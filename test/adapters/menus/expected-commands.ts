/**
 * The command names every platform's menu must show, written out here rather than read from
 * dialogs/command-menu.ts, so a change to the registry's order or contents fails a test.
 */

/** The nine privacy commands, first on every channel (README "Command menus"). */
export const PRIVACY_COMMAND_NAMES = [
  'privacy',
  'consent',
  'stop',
  'mydata',
  'export',
  'correct',
  'delete',
  'restrict',
  'object',
] as const;

/** The whole menu in the registry's order: the privacy commands, then the rest. */
export const MENU_COMMAND_NAMES = [...PRIVACY_COMMAND_NAMES, 'help', 'language', 'start'] as const;
