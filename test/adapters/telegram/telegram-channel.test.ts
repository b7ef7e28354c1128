import { STALE_BUTTON_ACTION } from '../../../adapters/button-ids';
import { TelegramChannel } from '../../../adapters/telegram/telegram-channel';
import { textReply, type OutgoingMessage } from '../../../src/core/messages';
import { TEST_BOT_INFO, TelegramBotApiDouble } from '../../support/telegram-bot-api-double';
import {
  BOT_AS_SENDER,
  COMMANDS,
  GROUP_CHAT,
  OTHER_PERSON,
  PERSON,
  PRIVATE_CHAT,
  SENT_AT,
  SUPERGROUP_CHAT,
  callbackUpdate,
  capturingLogger,
  mentioningUpdate,
  messageUpdate,
  otherUpdate,
  recordingHandler,
  replyUpdate,
  textUpdate,
} from './harness';

let api: TelegramBotApiDouble;
let log: ReturnType<typeof capturingLogger>;
let channel: TelegramChannel | undefined;

beforeEach(async () => {
  api = await TelegramBotApiDouble.start();
  log = capturingLogger();
});

afterEach(async () => {
  await channel?.stop();
  channel = undefined;
  await api.close();
});

async function startChannel(script?: Parameters<typeof recordingHandler>[0], token = api.token) {
  const recording = recordingHandler(script);
  channel = new TelegramChannel({
    token,
    apiRoot: api.apiRoot,
    logger: log.logger,
    botInfo: TEST_BOT_INFO,
    commands: COMMANDS,
  });
  await channel.start(recording.handler);
  return { channel, received: recording.received };
}

async function waitUntil(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('start and stop', () => {
  it('registers the command menu in each language and a default list', async () => {
    await startChannel();
    const calls = api.callsTo('setMyCommands');
    expect(calls.map((call) => call.body.language_code)).toEqual([undefined, 'en', 'de', 'es', 'fr']);
    expect(calls[0]!.body.commands).toEqual([
      { command: 'privacy', description: 'Privacy and your data' },
      { command: 'delete', description: 'Delete my data' },
    ]);
    expect(calls[2]!.body.commands).toEqual([
      { command: 'privacy', description: 'Datenschutz und deine Daten' },
      { command: 'delete', description: 'Meine Daten löschen' },
    ]);
    expect(calls[4]!.body.commands).toContainEqual({
      command: 'delete',
      description: 'Supprimer mes données',
    });
  });

  it('long-polls by default, asking only for messages and button presses', async () => {
    const { received } = await startChannel(() => [textReply('Hallo!')]);
    // launch() clears any webhook on its own schedule: getUpdates would fail with 409 otherwise.
    await api.waitForCalls('deleteWebhook');
    api.queueUpdate(textUpdate('hello by polling'));
    await api.waitForCalls('sendMessage');
    expect(received.map((message) => message.text)).toEqual(['hello by polling']);
    expect(api.callsTo('getUpdates')[0]!.body.allowed_updates).toEqual(['message', 'callback_query']);
  });

  it('rejects start when Telegram refuses the token', async () => {
    await expect(startChannel(undefined, '999:revoked')).rejects.toMatchObject({ code: 401 });
  });

  it('stops polling even when stopped right after start', async () => {
    await startChannel();
    await channel!.stop();
    const pollsAtStop = api.callsTo('getUpdates').length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(api.callsTo('getUpdates').length).toBe(pollsAtStop);
  });

  it('refuses a command name Telegram would reject', () => {
    const build = () =>
      new TelegramChannel({
        token: api.token,
        logger: log.logger,
        commands: [{ command: 'My-Data', description: COMMANDS[0]!.description }],
      });
    expect(build).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});

describe('incoming updates', () => {
  it('maps a first private message, normalising a command addressed to this bot', async () => {
    const { channel, received } = await startChannel();
    const update = textUpdate('/Privacy@PrivacyTestBot please');
    await channel.handleUpdate(update);
    expect(received).toEqual([
      {
        channel: 'telegram',
        conversationKey: String(PRIVATE_CHAT.id),
        userKey: String(PERSON.id),
        text: '/privacy please',
        localeHint: 'de',
        isPrivateChat: true,
        receivedAt: new Date(SENT_AT * 1000),
        raw: update,
      },
    ]);
  });

  it('skips a command addressed to another bot in the same group', async () => {
    const { channel, received } = await startChannel();
    await channel.handleUpdate(textUpdate('/privacy@SomeOtherBot', GROUP_CHAT));
    expect(received).toEqual([]);
  });

  it('maps a group message with isPrivateChat false and the group as conversation', async () => {
    const { channel, received } = await startChannel();
    await channel.handleUpdate(textUpdate('/privacy', GROUP_CHAT));
    expect(received[0]).toMatchObject({
      conversationKey: String(GROUP_CHAT.id),
      userKey: String(PERSON.id),
      isPrivateChat: false,
    });
  });

  it('leaves out the locale hint when Telegram sends no language', async () => {
    const { channel, received } = await startChannel();
    const { language_code: _omitted, ...withoutLanguage } = PERSON;
    await channel.handleUpdate(messageUpdate({ text: 'hi', from: withoutLanguage }));
    expect(received[0]).not.toHaveProperty('localeHint');
  });

  it('turns a photo without a caption in a private chat into a turn with neither text nor action', async () => {
    const { channel, received } = await startChannel();
    await channel.handleUpdate(
      messageUpdate({ photo: [{ file_id: 'p1', file_unique_id: 'u1', width: 1, height: 1 }] }),
    );
    expect(received).toHaveLength(1);
    expect(received[0]).not.toHaveProperty('text');
    expect(received[0]).not.toHaveProperty('action');
  });

  it('reads the caption under a photo or a file as the message text', async () => {
    const { channel, received } = await startChannel();
    const photo = [{ file_id: 'p1', file_unique_id: 'u1', width: 1, height: 1 }];
    const document = { file_id: 'd1', file_unique_id: 'du1', file_name: 'scan.pdf' };
    await channel.handleUpdate(messageUpdate({ photo, caption: 'what do you keep about this?' }));
    await channel.handleUpdate(messageUpdate({ document, caption: '/Privacy@PrivacyTestBot' }));
    expect(received.map((message) => message.text)).toEqual(['what do you keep about this?', '/privacy']);
  });

  it('passes a message of 4096 characters, the most Telegram allows, through unchanged', async () => {
    const { channel, received } = await startChannel();
    const longest = `${'Ä😀 '.repeat(1023)}end.`;
    expect(longest).toHaveLength(4096);
    await channel.handleUpdate(textUpdate(longest));
    expect(received.map((message) => message.text)).toEqual([longest]);
  });

  it('ignores stickers in groups, edits, channel posts, service messages and other bots without throwing', async () => {
    const { channel, received } = await startChannel();
    const sticker = { file_id: 's1', file_unique_id: 'su1', type: 'regular', width: 1, height: 1 };
    const updates = [
      messageUpdate({ sticker }, GROUP_CHAT),
      otherUpdate({
        edited_message: {
          message_id: 5,
          date: SENT_AT,
          edit_date: SENT_AT,
          chat: PRIVATE_CHAT,
          from: PERSON,
          text: 'fixed',
        },
      }),
      otherUpdate({
        channel_post: { message_id: 6, date: SENT_AT, chat: { id: -1001, type: 'channel' }, text: 'news' },
      }),
      messageUpdate({ new_chat_members: [PERSON] }, GROUP_CHAT),
      messageUpdate({ text: 'beep', from: { id: 55, is_bot: true, first_name: 'Other' } }, GROUP_CHAT),
      messageUpdate({ text: 'as the group', sender_chat: { id: GROUP_CHAT.id, type: 'group' } }, GROUP_CHAT),
    ];
    for (const update of updates) await expect(channel.handleUpdate(update)).resolves.toBeUndefined();
    expect(received).toEqual([]);
    expect(api.replyCalls.filter((call) => call.method !== 'setMyCommands')).toEqual([]);
  });

  it('ignores a malformed update without calling the engine, logging only its update id', async () => {
    const { channel, received } = await startChannel();
    const update = messageUpdate({ from: undefined, text: 'who am I' });
    await channel.handleUpdate(update);
    expect(received).toEqual([]);
    const warning = log.entries().find((entry) => entry.msg === 'telegram update malformed, ignored');
    expect(warning).toEqual({
      level: 40,
      time: expect.any(Number),
      msg: expect.any(String),
      updateId: update.update_id,
    });
  });
});

describe('in groups, only what is addressed to the bot', () => {
  const PHOTO = [{ file_id: 'p1', file_unique_id: 'u1', width: 1, height: 1 }];

  it('ignores chatter that is neither a command, a mention of the bot nor a reply to it', async () => {
    const { channel, received } = await startChannel(() => [textReply('should never be sent')]);
    const chatter = [
      textUpdate('Hallo zusammen, wer kommt morgen?', GROUP_CHAT),
      textUpdate('stop', GROUP_CHAT),
      textUpdate('abmelden', SUPERGROUP_CHAT),
      textUpdate('opt out', SUPERGROUP_CHAT),
      textUpdate('/privacy@SomeOtherBot', SUPERGROUP_CHAT),
      mentioningUpdate('@grace stop', '@grace'),
      mentioningUpdate('Grace, stop', 'Grace', GROUP_CHAT, { id: OTHER_PERSON.id }),
      // The bot's name typed without Telegram marking it as a mention addresses nobody.
      textUpdate('@PrivacyTestBot stop', GROUP_CHAT),
      replyUpdate('stop', OTHER_PERSON),
      messageUpdate({ photo: PHOTO, caption: 'team photo, opt out if you mind' }, GROUP_CHAT),
    ];
    for (const update of chatter) await channel.handleUpdate(update);
    expect(received).toEqual([]);
    expect(api.replyCalls.filter((call) => call.method !== 'setMyCommands')).toEqual([]);
  });

  it('passes commands, mentions of the bot and replies to it, without the mention', async () => {
    const { channel, received } = await startChannel();
    const addressed = [
      textUpdate('/privacy', GROUP_CHAT),
      textUpdate('/Privacy@PrivacyTestBot now', SUPERGROUP_CHAT),
      mentioningUpdate('@PrivacyTestBot stop', '@PrivacyTestBot'),
      mentioningUpdate('@privacytestbot, abmelden', '@privacytestbot', SUPERGROUP_CHAT),
      mentioningUpdate('what do you store, @PrivacyTestBot?', '@PrivacyTestBot'),
      mentioningUpdate('@PrivacyTestBot /mydata', '@PrivacyTestBot'),
      mentioningUpdate('Privacy Bot: opt out', 'Privacy Bot', GROUP_CHAT, { id: BOT_AS_SENDER.id }),
      replyUpdate('stop', BOT_AS_SENDER),
      messageUpdate(
        {
          photo: PHOTO,
          caption: '@PrivacyTestBot what is stored about this?',
          caption_entities: [{ type: 'mention', offset: 0, length: 15 }],
        },
        GROUP_CHAT,
      ),
    ];
    for (const update of addressed) await channel.handleUpdate(update);
    expect(received.map((message) => [message.text, message.isPrivateChat])).toEqual([
      ['/privacy', false],
      ['/privacy now', false],
      ['stop', false],
      ['abmelden', false],
      ['what do you store?', false],
      ['/mydata', false],
      ['opt out', false],
      ['stop', false],
      ['what is stored about this?', false],
    ]);
  });

  it('keeps a message that is only a mention of the bot as it was, rather than empty', async () => {
    const { channel, received } = await startChannel();
    await channel.handleUpdate(mentioningUpdate('@PrivacyTestBot', '@PrivacyTestBot'));
    expect(received.map((message) => message.text)).toEqual(['@PrivacyTestBot']);
  });

  it('does not take a forum topic opened by the bot for a reply to the bot', async () => {
    const { channel, received } = await startChannel();
    const topicStart = {
      message_id: 2,
      date: SENT_AT,
      chat: SUPERGROUP_CHAT,
      from: BOT_AS_SENDER,
      forum_topic_created: { name: 'Bot news', icon_color: 7322096 },
    };
    await channel.handleUpdate(
      messageUpdate(
        { text: 'stop', is_topic_message: true, message_thread_id: 2, reply_to_message: topicStart },
        SUPERGROUP_CHAT,
      ),
    );
    expect(received).toEqual([]);
  });

  it('skips entities that do not fit the text instead of throwing', async () => {
    const { channel, received } = await startChannel();
    const broken = [
      { type: 'mention', offset: 40, length: 15 },
      { type: 'mention', offset: -1, length: 16 },
      { type: 'text_mention', offset: 0, length: 4 },
      null,
      'mention',
    ];
    await channel.handleUpdate(messageUpdate({ text: 'stop', entities: broken }, GROUP_CHAT));
    await channel.handleUpdate(messageUpdate({ text: 'stop', entities: 'mention' }, GROUP_CHAT));
    expect(received).toEqual([]);
  });
});

describe('button presses', () => {
  it('maps a press to its action and answers the callback query before replying', async () => {
    const { channel, received } = await startChannel(() => [textReply('Saved.')]);
    const update = callbackUpdate('consent:history:grant');
    await channel.handleUpdate(update);
    expect(received[0]).toMatchObject({
      action: 'consent:history:grant',
      conversationKey: String(PRIVATE_CHAT.id),
      isPrivateChat: true,
      localeHint: 'de',
    });
    expect(received[0]).not.toHaveProperty('text');
    const replies = api.replyCalls.filter((call) => call.method !== 'setMyCommands');
    expect(replies.map((call) => call.method)).toEqual(['answerCallbackQuery', 'sendMessage']);
    expect(replies[0]!.body.callback_query_id).toBe(
      (update as { callback_query: { id: string } }).callback_query.id,
    );
  });

  it('turns a press on a token this process no longer knows into a stale-button turn', async () => {
    const { channel, received } = await startChannel();
    const update = callbackUpdate('~t:AAAAAAAAAAAAAAAAAAAAAA');
    await channel.handleUpdate(update);
    // The engine answers "that button no longer works" in the person's own language.
    expect(received).toEqual([expect.objectContaining({ action: STALE_BUTTON_ACTION, localeHint: 'de' })]);
    expect(api.callsTo('answerCallbackQuery').map((call) => call.body)).toEqual([
      { callback_query_id: (update as { callback_query: { id: string } }).callback_query.id },
    ]);
  });

  it('answers every press; one it cannot resolve still reaches the engine, a malformed one does not', async () => {
    const { channel, received } = await startChannel();
    const french = { ...PERSON, language_code: 'fr-CA' };
    const pressBy = (from: object | undefined, fields: Record<string, unknown> = {}) =>
      otherUpdate({
        callback_query: {
          id: `cbq-${from === undefined ? 'nobody' : 'someone'}`,
          chat_instance: 'ci-1',
          message: { message_id: 1, date: SENT_AT, chat: PRIVATE_CHAT, text: 'earlier reply' },
          ...(from === undefined ? {} : { from }),
          ...fields,
        },
      });
    await channel.handleUpdate(pressBy(french, { data: '~t:forged-token-0000000000' }));
    await channel.handleUpdate(pressBy(french)); // no data at all: a game button
    await channel.handleUpdate(pressBy({ ...PERSON, language_code: 'pt-BR' }, { data: '~t:x' }));
    await channel.handleUpdate(pressBy(undefined, { data: 'menu:privacy' })); // malformed
    expect(received.map((message) => [message.action, message.localeHint])).toEqual([
      [STALE_BUTTON_ACTION, 'fr-CA'],
      [STALE_BUTTON_ACTION, 'fr-CA'],
      [STALE_BUTTON_ACTION, 'pt-BR'],
    ]);
    const answered = api.callsTo('answerCallbackQuery').map((call) => call.body);
    expect(answered).toHaveLength(4);
    expect(answered.every((body) => !('text' in body))).toBe(true);
  });

  it('answers a press that becomes a turn without a notice of its own', async () => {
    const { channel } = await startChannel(() => [textReply('Saved.')]);
    await channel.handleUpdate(callbackUpdate('consent:history:grant'));
    expect(api.callsTo('answerCallbackQuery')[0]!.body).not.toHaveProperty('text');
  });

  it('carries an action id longer than 64 bytes through a short token and back', async () => {
    const longId = `export:confirm:${'x'.repeat(80)}`;
    const { channel, received } = await startChannel((message) =>
      message.action ? [] : [textReply('Export?', { actions: [{ id: longId, label: 'Yes' }] })],
    );
    await channel.handleUpdate(textUpdate('/export'));
    const sent = api.callsTo('sendMessage')[0]!.body as {
      reply_markup: { inline_keyboard: { callback_data: string }[][] };
    };
    const data = sent.reply_markup.inline_keyboard[0]![0]!.callback_data;
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
    await channel.handleUpdate(callbackUpdate(data));
    expect(received[1]?.action).toBe(longId);
  });
});

describe('rendering replies', () => {
  it('renders actions as an inline keyboard, one button per row, in plain text', async () => {
    const { channel } = await startChannel(() => [
      textReply('May I keep a history of our chats?', {
        actions: [
          { id: 'consent:history:grant', label: 'Yes' },
          { id: 'consent:history:decline', label: 'No' },
        ],
      }),
    ]);
    await channel.handleUpdate(textUpdate('/start'));
    const [sent] = api.callsTo('sendMessage');
    expect(sent!.body).toEqual({
      chat_id: PRIVATE_CHAT.id,
      text: 'May I keep a history of our chats?',
      reply_markup: {
        inline_keyboard: [
          [{ text: 'Yes', callback_data: 'consent:history:grant' }],
          [{ text: 'No', callback_data: 'consent:history:decline' }],
        ],
      },
    });
  });

  it('sends a file as a multipart sendDocument with its name and bytes, keyboard last', async () => {
    const bytes = Buffer.from(JSON.stringify({ schema: 1, messages: [] }));
    const { channel } = await startChannel(() => [
      textReply('Here is your data.', {
        file: { name: 'my-data.json', mime: 'application/json', bytes },
        actions: [{ id: 'menu', label: 'Menu' }],
      }),
    ]);
    await channel.handleUpdate(textUpdate('/export'));
    expect(
      api.replyCalls.filter((call) => call.method !== 'setMyCommands').map((call) => call.method),
    ).toEqual(['sendMessage', 'sendDocument']);
    expect(api.callsTo('sendMessage')[0]!.body).not.toHaveProperty('reply_markup');
    const [upload] = api.callsTo('sendDocument');
    expect(upload!.body.chat_id).toBe(String(PRIVATE_CHAT.id));
    expect(upload!.files.document!.filename).toBe('my-data.json');
    expect(upload!.files.document!.bytes.equals(bytes)).toBe(true);
    expect(upload!.body.reply_markup).toEqual({
      inline_keyboard: [[{ text: 'Menu', callback_data: 'menu' }]],
    });
  });

  it('keeps a file name from breaking the multipart header', async () => {
    const { channel } = await startChannel(() => [
      textReply('', { file: { name: 'a"b\r\nc.json', mime: 'application/json', bytes: Buffer.from('{}') } }),
    ]);
    await channel.handleUpdate(textUpdate('/export'));
    expect(api.callsTo('sendMessage')).toEqual([]);
    expect(api.callsTo('sendDocument')[0]!.files.document!.filename).toBe('a_b__c.json');
  });

  it('splits a text over 4096 characters into several messages, keyboard on the last', async () => {
    const paragraph = `${'Datenschutz '.repeat(99)}Ende.\n`;
    const longText = paragraph.repeat(8);
    const { channel } = await startChannel(() => [
      textReply(longText, { actions: [{ id: 'ok', label: 'OK' }] }),
    ]);
    await channel.handleUpdate(textUpdate('/privacy'));
    const parts = api.callsTo('sendMessage').map((call) => call.body);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect((part.text as string).length).toBeLessThanOrEqual(4096);
    expect(parts.map((part) => part.text).join('\n')).toBe(longText);
    expect(parts.slice(0, -1).every((part) => part.reply_markup === undefined)).toBe(true);
    expect(parts.at(-1)!.reply_markup).toEqual({ inline_keyboard: [[{ text: 'OK', callback_data: 'ok' }]] });
  });

  it('shows typing as a chat action', async () => {
    const { channel } = await startChannel(() => [{ kind: 'typing' }, textReply('Done.')]);
    await channel.handleUpdate(textUpdate('/mydata'));
    expect(api.callsTo('sendChatAction')[0]!.body).toEqual({ chat_id: PRIVATE_CHAT.id, action: 'typing' });
  });

  it('sends a reply meant only for the speaker to their private chat, never to the group', async () => {
    const { channel } = await startChannel(() => [textReply('Your data: …', { privateToSpeaker: true })]);
    await channel.handleUpdate(textUpdate('/mydata', GROUP_CHAT));
    expect(api.callsTo('sendMessage').map((call) => call.body.chat_id)).toEqual([PERSON.id]);
  });

  it('keeps a private reply out of the group even when the speaker has no private chat with the bot', async () => {
    const { channel } = await startChannel(() => [textReply('Your data: …', { privateToSpeaker: true })]);
    api.failNext('sendMessage', {
      error_code: 403,
      description: "Forbidden: bot can't initiate conversation",
    });
    await channel.handleUpdate(textUpdate('/mydata', GROUP_CHAT));
    expect(api.callsTo('sendMessage').map((call) => call.body.chat_id)).toEqual([PERSON.id]);
  });

  it('posts a pointer in the group when the speaker never opened a private chat with the bot', async () => {
    const pointer = textReply('Please open a private chat with me first.', {
      privateToSpeaker: true,
      publicFallback: true,
    });
    const { channel } = await startChannel(() => [pointer]);
    api.failNext('sendMessage', {
      error_code: 403,
      description: "Forbidden: bot can't initiate conversation",
    });
    await channel.handleUpdate(mentioningUpdate('@PrivacyTestBot hello', '@PrivacyTestBot'));
    const sent = api.callsTo('sendMessage').map((call) => [call.body.chat_id, call.body.text]);
    expect(sent).toEqual([
      [PERSON.id, pointer.text],
      [GROUP_CHAT.id, pointer.text],
    ]);
    expect(log.entries().find((entry) => entry.code === 'TELEGRAM_NO_PRIVATE_CHAT')).toBeDefined();

    // Any other failure is not a reason to post in the group.
    api.failNext('sendMessage', { error_code: 500, description: 'Internal Server Error' });
    await channel.handleUpdate(mentioningUpdate('@PrivacyTestBot again', '@PrivacyTestBot'));
    expect(api.callsTo('sendMessage')).toHaveLength(3);
  });

  it('logs a failed send by error code, skips the rest of the turn and keeps running', async () => {
    const replies: OutgoingMessage[] = [textReply('first'), textReply('second')];
    const { channel } = await startChannel(() => replies);
    api.failNext('sendMessage', { error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    await expect(channel.handleUpdate(textUpdate('hi'))).resolves.toBeUndefined();
    expect(api.callsTo('sendMessage')).toHaveLength(1);
    const failure = log.entries().find((entry) => entry.msg === 'telegram send failed');
    expect(failure).toMatchObject({ method: 'sendMessage', err: { code: expect.stringContaining('403') } });

    await channel.handleUpdate(textUpdate('again'));
    expect(api.callsTo('sendMessage')).toHaveLength(3);
  });

  it('logs an engine failure by code instead of letting telegraf print the update', async () => {
    const consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const { channel } = await startChannel(() => {
        throw new RangeError('engine broke while reading "secret words"');
      });
      await expect(channel.handleUpdate(textUpdate('secret words'))).resolves.toBeUndefined();
      expect(consoleError).not.toHaveBeenCalled();
      expect(log.entries().find((entry) => entry.msg === 'telegram turn failed')).toMatchObject({
        err: { code: 'RangeError' },
      });
    } finally {
      consoleError.mockRestore();
    }
  });
});

describe('what the logs carry', () => {
  it('never logs message text, the bot token or raw user and chat ids', async () => {
    const { channel } = await startChannel(() => [textReply('private reply text'), textReply('second')]);
    api.failNext('sendMessage', { error_code: 400, description: 'Bad Request: chat not found' });
    await channel.handleUpdate(textUpdate('my very private words'));
    await channel.handleUpdate(messageUpdate({ from: undefined, text: 'malformed private words' }));
    await channel.handleUpdate(callbackUpdate('~t:unknown-token-xxxxxxx'));
    await channel.handleUpdate(textUpdate('/privacy@SomeOtherBot'));
    await channel.handleUpdate(textUpdate('my group private words', GROUP_CHAT));
    await channel.handleUpdate(
      messageUpdate({ document: { file_id: 'd1' }, caption: 'caption private words' }, GROUP_CHAT),
    );

    const logs = log.raw();
    expect(logs).toContain('telegram send failed');
    for (const secret of [
      'private words',
      'private reply',
      api.token,
      String(PERSON.id),
      String(GROUP_CHAT.id),
    ]) {
      expect(logs).not.toContain(secret);
    }
  });
});

describe('polling end to end', () => {
  it('delivers a queued button press through getUpdates and answers it', async () => {
    const { received } = await startChannel(() => [textReply('OK')]);
    api.queueUpdate(callbackUpdate('menu:privacy'));
    await api.waitForCalls('sendMessage');
    await waitUntil(() => received.length === 1);
    expect(received[0]!.action).toBe('menu:privacy');
    expect(api.callsTo('answerCallbackQuery')).toHaveLength(1);
  });
});
