import { ButtonStyle, ComponentType, MessageType } from 'discord.js';
import { textReply } from '../../../src/core/messages';
import { BOT_USER_ID } from '../../support/discord-api-double';
import {
  DM_CHANNEL_ID,
  dmMessage,
  GUILD_CHANNEL_ID,
  guildCreate,
  guildMessage,
  OTHER_BOT_ID,
  PERSON_ID,
  user,
} from './fixtures';
import { startHarness, type Harness } from './harness';

describe('Discord messages', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  it('maps a DM to a neutral message and answers in the DM with buttons', async () => {
    harness = await startHarness({
      replies: [
        { kind: 'typing' },
        textReply('Do you agree?', {
          actions: [
            { id: 'consent:yes', label: 'Yes' },
            { id: 'consent:no', label: 'No' },
          ],
        }),
      ],
    });
    const payload = dmMessage('hello bot');
    await harness.send('MESSAGE_CREATE', payload);

    expect(harness.turns).toHaveLength(1);
    const turn = harness.turns[0]!;
    expect(turn).toMatchObject({
      channel: 'discord',
      conversationKey: DM_CHANNEL_ID,
      userKey: PERSON_ID,
      text: 'hello bot',
      isPrivateChat: true,
    });
    // Messages carry no user locale; the key is absent, not undefined-valued.
    expect('localeHint' in turn).toBe(false);
    expect(turn.receivedAt).toBeInstanceOf(Date);

    expect(harness.api.find('POST', new RegExp(`^/channels/${DM_CHANNEL_ID}/typing$`))).toHaveLength(1);
    const [posted] = harness.api.find('POST', new RegExp(`^/channels/${DM_CHANNEL_ID}/messages$`));
    expect(posted?.authorization).toBe('Bot test');
    expect(posted?.json).toMatchObject({
      content: 'Do you agree?',
      allowed_mentions: { parse: [] },
      components: [
        {
          type: ComponentType.ActionRow,
          components: [
            {
              type: ComponentType.Button,
              custom_id: 'consent:yes',
              label: 'Yes',
              style: ButtonStyle.Secondary,
            },
            {
              type: ComponentType.Button,
              custom_id: 'consent:no',
              label: 'No',
              style: ButtonStyle.Secondary,
            },
          ],
        },
      ],
    });
  });

  it('splits long text into 2,000-character messages with the buttons on the last one', async () => {
    const long = `${'a'.repeat(1500)}\n${'b'.repeat(1500)}\n${'c'.repeat(100)}`;
    harness = await startHarness({
      replies: [textReply(long, { actions: [{ id: 'more', label: 'More' }] })],
    });
    await harness.send('MESSAGE_CREATE', dmMessage('long please'));

    const posted = harness.api
      .find('POST', /\/messages$/)
      .map((r) => r.json as { content: string; components?: [] });
    expect(posted.map((p) => p.content.length)).toEqual([1500, 1601]);
    expect(posted.every((p) => p.content.length <= 2000)).toBe(true);
    expect(posted[0]!.components ?? []).toHaveLength(0);
    expect(posted[1]!.components).toHaveLength(1);
  });

  it('sends a file reply as a multipart attachment', async () => {
    const bytes = Buffer.from(JSON.stringify({ schema: 1, messages: [] }));
    harness = await startHarness({
      replies: [textReply('Your export', { file: { name: 'export.json', mime: 'application/json', bytes } })],
    });
    await harness.send('MESSAGE_CREATE', dmMessage('/export'));

    const [posted] = harness.api.find('POST', new RegExp(`^/channels/${DM_CHANNEL_ID}/messages$`));
    expect(posted?.files).toHaveLength(1);
    expect(posted?.files[0]).toMatchObject({ field: 'files[0]', name: 'export.json' });
    expect(posted?.files[0]?.bytes.equals(bytes)).toBe(true);
    expect(posted?.json).toMatchObject({
      content: 'Your export',
      attachments: [{ id: '0' }],
    });
  });

  it('ignores messages from bots, including itself', async () => {
    harness = await startHarness({
      guildMessages: true,
      guilds: [guildCreate()],
      replies: [textReply('never sent')],
    });
    await harness.send(
      'MESSAGE_CREATE',
      guildMessage(`<@${BOT_USER_ID}> hi`, { author: user(OTHER_BOT_ID, true), mentionsBot: true }),
    );
    await harness.send('MESSAGE_CREATE', dmMessage('echo', user(BOT_USER_ID, true)));

    expect(harness.turns).toHaveLength(0);
    expect(harness.api.find('POST', /\/messages$/)).toHaveLength(0);
  });

  it('answers a guild message only when it is addressed to the bot', async () => {
    harness = await startHarness({
      guildMessages: true,
      guilds: [guildCreate()],
      replies: [textReply('Hi there')],
    });
    await harness.send('MESSAGE_CREATE', guildMessage('people talking among themselves'));
    expect(harness.turns).toHaveLength(0);

    await harness.send('MESSAGE_CREATE', guildMessage(`<@${BOT_USER_ID}> /help`, { mentionsBot: true }));
    expect(harness.turns).toHaveLength(1);
    expect(harness.turns[0]).toMatchObject({
      conversationKey: GUILD_CHANNEL_ID,
      userKey: PERSON_ID,
      text: '/help',
      isPrivateChat: false,
    });
    expect('localeHint' in harness.turns[0]!).toBe(false);
    expect(harness.api.find('POST', new RegExp(`^/channels/${GUILD_CHANNEL_ID}/messages$`))).toHaveLength(1);
  });

  it('does not pass guild messages on when guild messages are switched off', async () => {
    harness = await startHarness({
      guildMessages: false,
      guilds: [guildCreate()],
      replies: [textReply('never sent')],
    });
    await harness.send('MESSAGE_CREATE', guildMessage(`<@${BOT_USER_ID}> hi`, { mentionsBot: true }));
    expect(harness.turns).toHaveLength(0);
  });

  it('sends a private reply to a guild message by DM, never into the guild channel', async () => {
    harness = await startHarness({
      guildMessages: true,
      guilds: [guildCreate()],
      replies: [
        textReply('Here is what I store about you', { privateToSpeaker: true }),
        textReply('Sent you a DM'),
      ],
    });
    await harness.send('MESSAGE_CREATE', guildMessage(`<@${BOT_USER_ID}> /mydata`, { mentionsBot: true }));

    const openedDm = harness.api.find('POST', /^\/users\/@me\/channels$/);
    expect(openedDm[0]?.json).toEqual({ recipient_id: PERSON_ID });
    const inDm = harness.api.find('POST', new RegExp(`^/channels/dm-of-${PERSON_ID}/messages$`));
    expect(inDm.map((r) => (r.json as { content: string }).content)).toEqual([
      'Here is what I store about you',
    ]);
    const inGuild = harness.api.find('POST', new RegExp(`^/channels/${GUILD_CHANNEL_ID}/messages$`));
    expect(inGuild.map((r) => (r.json as { content: string }).content)).toEqual(['Sent you a DM']);
  });

  it('ignores system messages and messages without text', async () => {
    harness = await startHarness({
      guildMessages: true,
      guilds: [guildCreate()],
      replies: [textReply('never sent')],
    });
    await harness.send('MESSAGE_CREATE', guildMessage('', { type: MessageType.UserJoin, mentionsBot: true }));
    await harness.send('MESSAGE_CREATE', dmMessage(''));
    await harness.send('MESSAGE_CREATE', guildMessage(`<@${BOT_USER_ID}>`, { mentionsBot: true }));

    expect(harness.turns).toHaveLength(0);
    expect(harness.api.requests).toHaveLength(0);
  });

  it('introduces itself in the system channel when added to a guild', async () => {
    harness = await startHarness({ replies: [textReply('Hello! Nothing is stored before you agree.')] });
    await harness.send('GUILD_CREATE', guildCreate());

    expect(harness.turns).toEqual([
      expect.objectContaining({ event: 'conversation-started', isPrivateChat: false, localeHint: 'fr' }),
    ]);
    expect(harness.api.find('POST', /\/messages$/).map((r) => r.path)).toEqual([
      expect.stringMatching(/^\/channels\/500000000000000003\/messages$/),
    ]);
  });
});
