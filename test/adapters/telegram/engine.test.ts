import type { Update } from 'telegraf/types';
import { TelegramChannel } from '../../../adapters/telegram/telegram-channel';
import { type ChannelEngine, startChannelEngine } from '../../support/channel-engine';
import { expectDatabaseEmpty, textsIn, typedHistory } from '../../support/engine-db-checks';
import {
  TEST_BOT_INFO,
  TelegramBotApiDouble,
  type RecordedCall,
} from '../../support/telegram-bot-api-double';
import {
  COMMANDS,
  GROUP_CHAT,
  PERSON,
  PRIVATE_CHAT,
  SUPERGROUP_CHAT,
  callbackUpdate,
  capturingLogger,
  mentioningUpdate,
  textUpdate,
} from './harness';
import { cleanupStack } from '../../support/cleanup-stack';

/**
 * The real TelegramChannel (telegraf against the Bot API double) with the real engine, dialogs,
 * encrypted SQLite stores behind it: what Telegram is asked to show, and what the database keeps.
 * PERSON's app speaks German (language_code "de"), so the onboarding is German.
 */

let engine: ChannelEngine;
let api: TelegramBotApiDouble;
let channel: TelegramChannel;

const onCleanup = cleanupStack();

beforeEach(async () => {
  engine = await startChannelEngine({ channel: 'telegram', userId: String(PERSON.id) }, onCleanup);
  api = await TelegramBotApiDouble.start();
  onCleanup(() => api.close());
  channel = new TelegramChannel({
    token: api.token,
    apiRoot: api.apiRoot,
    logger: capturingLogger().logger,
    botInfo: TEST_BOT_INFO,
    commands: COMMANDS,
  });
  await channel.start(engine.testApp.app.engine.handle);
  onCleanup(() => channel.stop());
});

/** The polling loop's and start-up's own calls: not part of any turn. */
const HOUSEKEEPING = new Set(['getUpdates', 'deleteWebhook', 'getMe', 'setMyCommands']);

/** Hand one update to the channel, as polling would, and return the Bot API calls its turn made. */
async function turn(update: Update): Promise<RecordedCall[]> {
  const from = api.calls.length;
  await channel.handleUpdate(update);
  return api.calls.slice(from).filter((call) => !HOUSEKEEPING.has(call.method));
}

interface InlineButton {
  readonly text: string;
  readonly callback_data: string;
}

function buttonsOf(call: RecordedCall | undefined): InlineButton[] {
  const markup = call?.body.reply_markup as { inline_keyboard?: InlineButton[][] } | undefined;
  return markup?.inline_keyboard?.flat() ?? [];
}

/** Press the button labelled `label`, as the person would: its callback_data comes back. */
function press(call: RecordedCall | undefined, label: string): Update {
  const button = buttonsOf(call).find((candidate) => candidate.text === label);
  if (!button) throw new Error(`no button "${label}" in ${JSON.stringify(buttonsOf(call))}`);
  return callbackUpdate(button.callback_data);
}

/** Consent to everything with one press of the age-screen button. */
async function consentToAll(): Promise<void> {
  const calls = await turn(callbackUpdate(engine.adultAcceptsAll()));
  expect(calls.map((call) => call.method)).toEqual(['answerCallbackQuery', 'sendMessage']);
}

describe('Telegram with the real engine and SQLite', () => {
  it('onboards a new person with inline keyboards and stores their message encrypted, under no raw id', async () => {
    const { t, notice, adultLabel, savedAll } = textsIn(engine.testApp, 'de');

    const [greeting, ...moreGreeting] = await turn(textUpdate('Guten Morgen!'));
    expect(moreGreeting).toEqual([]);
    expect(greeting).toMatchObject({
      method: 'sendMessage',
      body: { chat_id: PRIVATE_CHAT.id, text: notice },
    });
    expect(buttonsOf(greeting)).toEqual([
      { text: t('consent.acceptAll'), callback_data: engine.issued('consent:all:de') },
      { text: t('consent.choosePurposes'), callback_data: engine.issued('consent:custom:000:de') },
      { text: t('consent.decline'), callback_data: engine.issued('consent:none:de') },
    ]);
    await expectDatabaseEmpty(engine.testApp.db);

    const pressAll = press(greeting, t('consent.acceptAll'));
    const [answered, ageQuestion, ...moreAge] = await turn(pressAll);
    expect(moreAge).toEqual([]);
    // The spinner on the button is stopped first, for this very press.
    expect(answered).toMatchObject({
      method: 'answerCallbackQuery',
      body: { callback_query_id: (pressAll as { callback_query: { id: string } }).callback_query.id },
    });
    expect(ageQuestion).toMatchObject({
      method: 'sendMessage',
      body: { chat_id: PRIVATE_CHAT.id, text: t('consent.ageQuestion') },
    });
    expect(buttonsOf(ageQuestion).map((button) => button.text)).toHaveLength(3);
    expect(buttonsOf(ageQuestion).at(-1)).toEqual({
      text: adultLabel,
      callback_data: engine.issued('consent:age:111:adult:de'),
    });

    const confirmed = await turn(press(ageQuestion, adultLabel));
    expect(confirmed.map((call) => call.method)).toEqual(['answerCallbackQuery', 'sendMessage']);
    expect(confirmed[1]!.body).toEqual({ chat_id: PRIVATE_CHAT.id, text: savedAll });

    const secret = 'Der Ersatzschlüssel liegt unter dem blauen Blumentopf';
    const answer = await turn(textUpdate(secret));
    expect(answer.map((call) => call.method)).toEqual(['sendMessage']);

    await engine.expectKeptEncrypted(secret, [String(PERSON.id)]);
  });

  it('in a group, sends an undecided person who addresses the bot the pointer in their own chat and stores nothing', async () => {
    const { t } = textsIn(engine.testApp, 'de');

    const calls = await turn(
      mentioningUpdate('@PrivacyTestBot Guten Morgen!', '@PrivacyTestBot', GROUP_CHAT),
    );

    // Telegram has no message for one member of a group: the pointer goes to the person's own chat.
    expect(calls).toEqual([
      {
        method: 'sendMessage',
        body: { chat_id: PERSON.id, text: t('consent.groupPointer') },
        files: {},
      },
    ]);
    expect(calls.some((call) => call.body.chat_id === GROUP_CHAT.id)).toBe(false);
    await expectDatabaseEmpty(engine.testApp.db);
  });

  it('in a group, chatter not addressed to the bot is no turn: no pointer, no history, no withdrawal', async () => {
    const chatter = ['Hallo zusammen, wer kommt morgen?', 'stop', 'abmelden', 'opt out'];

    for (const text of chatter) expect(await turn(textUpdate(text, GROUP_CHAT))).toEqual([]);
    await expectDatabaseEmpty(engine.testApp.db);

    await consentToAll();
    await turn(textUpdate('the tulips in my garden are yellow'));
    for (const text of [...chatter, 'mein Passwort ist Tulpe123']) {
      expect(await turn(textUpdate(text, GROUP_CHAT))).toEqual([]);
      expect(await turn(textUpdate(text, SUPERGROUP_CHAT))).toEqual([]);
    }
    expect(await typedHistory(engine.testApp.app, engine.subjectId())).toEqual([
      'the tulips in my garden are yellow',
    ]);
    const stillGranted = await engine.testApp.app.services.stores.subjects.get(engine.subjectId());
    expect(stillGranted?.purposes).toEqual({ history: true, personalization: true, analytics: true });

    const { t } = textsIn(engine.testApp, 'en');
    // Addressed to the bot, the same word withdraws once confirmed: the question, with its
    // buttons, and the confirmation go to the person privately.
    const asked = await turn(mentioningUpdate('@PrivacyTestBot stop', '@PrivacyTestBot', GROUP_CHAT));
    expect(asked.map((call) => call.body.chat_id)).toEqual([PERSON.id]);
    expect(asked[0]?.body.text).toBe(t('stop.confirm'));
    const notYet = await engine.testApp.app.services.stores.subjects.get(engine.subjectId());
    expect(notYet?.purposes).toEqual({ history: true, personalization: true, analytics: true });
    const withdrawn = await turn(press(asked[0], t('stop.confirmButton')));
    const sent = withdrawn.filter((call) => call.method === 'sendMessage');
    expect(sent.map((call) => [call.body.chat_id, call.body.text])).toEqual([[PERSON.id, t('stop.done')]]);
    const after = await engine.testApp.app.services.stores.subjects.get(engine.subjectId());
    expect(after?.purposes).toEqual({ history: false, personalization: false, analytics: false });
  });

  it('a stale button gets "that button no longer works" in the presser’s language', async () => {
    const { t } = textsIn(engine.testApp, 'de');
    const calls = await turn(callbackUpdate('~AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'));
    expect(calls).toEqual([
      { method: 'answerCallbackQuery', body: { callback_query_id: expect.any(String) }, files: {} },
      {
        method: 'sendMessage',
        body: expect.objectContaining({ chat_id: PRIVATE_CHAT.id, text: t('input.unknownAction') }),
        files: {},
      },
    ]);
    await expectDatabaseEmpty(engine.testApp.db);
  });

  it('/export delivers the JSON file with sendDocument, valid against the export schema', async () => {
    const { t } = textsIn(engine.testApp, 'en');
    await consentToAll();
    const messages = ['the tulips in my garden are yellow', 'my bicycle is the green one by the door'];
    for (const text of messages) await turn(textUpdate(text));

    const calls = await turn(textUpdate('/export'));

    expect(calls.map((call) => call.method)).toEqual(['sendMessage', 'sendDocument']);
    const [summary, upload] = calls;
    // Multipart fields arrive as text.
    expect(upload!.body.chat_id).toBe(String(PRIVATE_CHAT.id));
    const document = upload!.files.document!;
    expect(document.filename).toMatch(/^my-data-\d{4}-\d{2}-\d{2}\.json$/);
    const file = engine.expectExportOf(document.bytes.toString('utf8'), messages, [String(PERSON.id)]);
    expect(summary!.body).toEqual({
      chat_id: PRIVATE_CHAT.id,
      text: t('export.ready', { count: file.history.length }),
    });
  });

  it('/delete and the confirm button erase the person from history, profiles, subjects and data keys', async () => {
    const { t, erased } = textsIn(engine.testApp, 'en');
    await consentToAll();
    await turn(textUpdate('call me Sam Example'));
    await turn(textUpdate('the tulips in my garden are yellow'));

    const [explain, ...moreExplain] = await turn(textUpdate('/delete'));
    expect(moreExplain).toEqual([]);
    expect(buttonsOf(explain).map((button) => button.text)).toEqual([
      t('delete.confirmButton'),
      t('delete.cancelButton'),
    ]);
    // Nothing is erased before the confirmation, which the dialog now waits for.
    await engine.expectErasurePending();

    const done = await turn(press(explain, t('delete.confirmButton')));

    expect(done.map((call) => call.method)).toEqual(['answerCallbackQuery', 'sendMessage']);
    expect(done[1]!.body).toEqual({ chat_id: PRIVATE_CHAT.id, text: erased });
    await engine.expectErased();
  });
});
