import { MessageFlags } from 'discord.js';
import { BOT_USER_ID } from '../../../support/discord-api-double';
import { GUILD_CHANNEL_ID, PERSON_ID, guildCreate, guildMessage, slashCommand } from '../../discord/fixtures';
import { startHarness, type Harness } from '../../discord/harness';
import type { AdapterDriver, GroupExchange } from './driver';

type Json = { content?: string; flags?: number; data?: { flags?: number } };
const contentOf = (json: unknown) => (json as Json).content ?? '';
const isEphemeral = (flags: number | undefined) => ((flags ?? 0) & MessageFlags.Ephemeral) !== 0;

async function withHarness(
  replies: Parameters<AdapterDriver['speakInGroup']>[0],
  speakerReachable: boolean,
  speak: (harness: Harness) => Promise<Omit<GroupExchange, 'incoming'>>,
): Promise<GroupExchange> {
  const harness = await startHarness({ guildMessages: true, guilds: [guildCreate()], replies });
  try {
    if (!speakerReachable) {
      harness.api.respond('POST', /^\/channels\/dm-of-.*\/messages$/, () => ({
        status: 403,
        body: { code: 50007, message: 'Cannot send messages to this user' },
      }));
    }
    return { incoming: harness.turns, ...(await speak(harness)) };
  } finally {
    await harness.stop();
  }
}

/** A guild channel message that @mentions the bot: private replies go by DM. */
export const discordMessageDriver: AdapterDriver = {
  name: 'discord (guild message)',
  speakInGroup: (replies, { speakerReachable }) =>
    withHarness(replies, speakerReachable, async (harness) => {
      await harness.send('MESSAGE_CREATE', guildMessage(`<@${BOT_USER_ID}> /mydata`, { mentionsBot: true }));
      const inChannel = harness.api.find('POST', new RegExp(`^/channels/${GUILD_CHANNEL_ID}/messages$`));
      const inDm = harness.api.find('POST', new RegExp(`^/channels/dm-of-${PERSON_ID}/messages$`));
      return {
        visibleToGroup: inChannel.map((request) => contentOf(request.json)),
        visibleToSpeakerOnly: speakerReachable ? inDm.map((request) => contentOf(request.json)) : [],
      };
    }),
};

/**
 * A slash command in a guild channel: replies are interaction responses. The placeholder's
 * visibility is set when it is deferred; the first reply replaces it, later ones are follow-ups.
 */
export const discordSlashCommandDriver: AdapterDriver = {
  name: 'discord (slash command in a guild)',
  speakInGroup: (replies, { speakerReachable }) =>
    withHarness(replies, speakerReachable, async (harness) => {
      const interaction = slashCommand('mydata', { inGuild: true });
      await harness.send('INTERACTION_CREATE', interaction);
      const [callback] = harness.api.find('POST', /\/callback$/);
      const placeholderHidden = isEphemeral((callback?.json as Json | undefined)?.data?.flags);
      const edits = harness.api.find('PATCH', /\/messages\/@original$/).map((request) => ({
        text: contentOf(request.json),
        hidden: placeholderHidden,
      }));
      const followUps = harness.api
        .find('POST', new RegExp(`^/webhooks/[^/]+/${interaction.token}$`))
        .map((request) => ({
          text: contentOf(request.json),
          hidden: isEphemeral((request.json as Json).flags),
        }));
      const posted = harness.api
        .find('POST', /^\/channels\//)
        .map((request) => ({ text: contentOf(request.json), hidden: false }));
      const all = [...edits, ...followUps, ...posted];
      return {
        visibleToGroup: all.filter((message) => !message.hidden).map((message) => message.text),
        visibleToSpeakerOnly: all.filter((message) => message.hidden).map((message) => message.text),
      };
    }),
};
