import type { MenuEntry } from '../src/engine/command-menu';
import { PURPOSES } from '../src/privacy/purposes';
import { PURPOSE_NAME_KEYS } from './privacy/purpose-names';

/**
 * The commands every channel lists: Telegram's menu, Discord's slash commands, the Teams app's
 * command lists and /help. Most important first, because a platform that takes fewer keeps the
 * first ones (Teams: 10 per list, so /language and /start are left out there; they still work
 * when typed). The privacy commands come first so that every channel shows all of them.
 * Aliases (/forgetme, /optout, /unrestrict) and the memory examples work but are not listed.
 */
export const COMMAND_MENU: readonly MenuEntry[] = [
  { command: '/privacy', privacy: true, description: 'commands.privacy.description' },
  { command: '/consent', privacy: true, description: 'commands.consent.description' },
  { command: '/stop', privacy: true, description: 'commands.stop.description' },
  { command: '/mydata', privacy: true, description: 'commands.mydata.description' },
  { command: '/export', privacy: true, description: 'commands.export.description' },
  { command: '/correct', privacy: true, description: 'commands.correct.description' },
  { command: '/delete', privacy: true, description: 'commands.delete.description' },
  {
    command: '/restrict',
    privacy: true,
    description: 'commands.restrict.description',
    option: {
      name: 'mode',
      description: 'commands.restrict.mode',
      choices: () => [
        { value: 'on', label: 'commands.restrict.on' },
        { value: 'off', label: 'commands.restrict.off' },
      ],
    },
  },
  {
    command: '/object',
    privacy: true,
    description: 'commands.object.description',
    option: {
      name: 'purpose',
      description: 'commands.object.purpose',
      choices: () => PURPOSES.map((purpose) => ({ value: purpose, label: PURPOSE_NAME_KEYS[purpose] })),
    },
  },
  { command: '/help', description: 'commands.help.description' },
  {
    command: '/language',
    description: 'commands.language.description',
    option: {
      name: 'code',
      description: 'commands.language.code',
      // Each language by its own name: recognisable whatever language the menu is shown in.
      choices: (locales) =>
        locales.map((locale) => ({ value: locale, label: 'language.name', labelIn: locale })),
    },
  },
  { command: '/start', description: 'commands.start.description' },
];
