import { textReply } from '../../../src/core/messages';
import { consoleDriver } from './drivers/console';
import { discordMessageDriver, discordSlashCommandDriver } from './drivers/discord';
import type { AdapterDriver } from './drivers/driver';
import { teamsDriver } from './drivers/teams';
import { telegramDriver } from './drivers/telegram';

/**
 * The adapter contract for replies marked privateToSpeaker (src/core/messages.ts), run on every
 * channel through its real SDK: in a group conversation such a reply is delivered to the speaker
 * privately or replaced by a pointer; it is never visible to the group, whether or not the
 * platform lets the bot reach the speaker. (PRIVACY-RULES, "Groups and channels".)
 */
const SECRET = 'Your stored data: the spare key is under the blue flower pot';

const drivers: readonly AdapterDriver[] = [
  consoleDriver,
  telegramDriver,
  discordMessageDriver,
  discordSlashCommandDriver,
  teamsDriver,
];

describe.each(drivers.map((driver) => [driver.name, driver] as const))('%s', (_name, driver) => {
  it('never shows a reply marked private to the group, and delivers it only to the speaker', async () => {
    // The private reply first: a platform double that refuses "the next send" refuses that one.
    const replies = [textReply(SECRET, { privateToSpeaker: true }), textReply('Public part')];

    const reachable = await driver.speakInGroup(replies, { speakerReachable: true });
    expect(reachable.incoming).toHaveLength(1);
    expect(reachable.visibleToGroup.join('\n')).not.toContain(SECRET);
    expect(reachable.visibleToSpeakerOnly.join('\n')).toContain(SECRET);

    const unreachable = await driver.speakInGroup(replies, { speakerReachable: false });
    expect(unreachable.visibleToGroup.join('\n')).not.toContain(SECRET);
  });
});
