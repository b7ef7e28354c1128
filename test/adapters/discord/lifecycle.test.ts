import { textReply } from '../../../src/core/messages';
import { DM_CHANNEL_ID, dmMessage, guildCreate } from './fixtures';
import { startHarness } from './harness';
import { dispatch } from '../../support/discord-api-double';

describe('Discord channel lifecycle', () => {
  it('stop() lets a turn in flight send its reply, then destroys the client', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const harness = await startHarness({
      replies: async () => {
        await gate;
        return [textReply('late but delivered')];
      },
    });
    expect(harness.channel.client.isReady()).toBe(true);

    dispatch(harness.channel.client, 'MESSAGE_CREATE', dmMessage('hi'));
    const stopped = harness.channel.stop();
    release();
    await stopped;

    expect(harness.api.find('POST', new RegExp(`^/channels/${DM_CHANNEL_ID}/messages$`))).toHaveLength(1);
    expect(harness.channel.client.isReady()).toBe(false);
    await harness.api.stop();
  });

  it('does not treat guilds the bot was already in at start-up as new conversations', async () => {
    const harness = await startHarness({ guilds: [guildCreate()], replies: [textReply('welcome')] });
    expect(harness.turns).toHaveLength(0);
    expect(harness.api.requests).toHaveLength(0);
    await harness.stop();
  });

  it('stays silent in a joined guild without a system channel', async () => {
    const harness = await startHarness({ replies: [textReply('welcome')] });
    await harness.send('GUILD_CREATE', guildCreate({ systemChannelId: null }));
    expect(harness.turns).toHaveLength(0);
    expect(harness.api.requests).toHaveLength(0);
    await harness.stop();
  });
});
