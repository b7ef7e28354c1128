import { InteractionResponseType, Locale, MessageFlags } from 'discord.js';
import { APPLICATION_ID, BOT_USER_ID, type RecordedRequest } from '../../support/discord-api-double';
import { type ChannelEngine, startChannelEngine } from '../../support/channel-engine';
import { expectDatabaseEmpty, textsIn } from '../../support/engine-db-checks';
import {
  DM_CHANNEL_ID,
  GUILD_CHANNEL_ID,
  PERSON_ID,
  buttonPress,
  dmMessage,
  guildCreate,
  guildMessage,
  slashCommand,
} from './fixtures';
import { startHarness, type Harness } from './harness';
import { cleanupStack } from '../../support/cleanup-stack';

/**
 * The real DiscordChannel (discord.js against the REST double, gateway events replayed) with the
 * real engine, dialogs and encrypted SQLite stores: what Discord is asked to show, and what the
 * database keeps. The fixtures' client locale is en-US and DMs carry no locale, so all is English.
 */

let engine: ChannelEngine;
let discord: Harness;

const onCleanup = cleanupStack();

beforeEach(async () => {
  engine = await startChannelEngine({ channel: 'discord', userId: PERSON_ID }, onCleanup);
  // Guild messages on, in the one guild the bot is in, so an @mention reaches the engine.
  discord = await startHarness({
    guildMessages: true,
    guilds: [guildCreate()],
    replies: engine.testApp.app.engine.handle,
  });
  onCleanup(() => discord.stop());
});

interface SentButton {
  readonly custom_id: string;
  readonly label: string;
}

/** A message body as discord.js sends it (JSON, or the payload_json part of a multipart body). */
interface SentMessage {
  readonly content?: string;
  readonly components?: readonly { readonly components: readonly SentButton[] }[];
}

function sent(request: RecordedRequest | undefined): SentMessage {
  if (!request) throw new Error('nothing was sent');
  return request.json as SentMessage;
}

function buttonsOf(request: RecordedRequest | undefined): SentButton[] {
  return (sent(request).components ?? []).flatMap((row) => row.components);
}

/** The custom_id of the button labelled `label`: what Discord sends back when it is pressed. */
function customIdOf(request: RecordedRequest | undefined, label: string): string {
  const button = buttonsOf(request).find((candidate) => candidate.label === label);
  if (!button) throw new Error(`no button "${label}" in ${JSON.stringify(buttonsOf(request))}`);
  return button.custom_id;
}

const inDm = { inGuild: false } as const;

/** Messages the bot posted into the DM channel. */
const dmPosts = () => discord.api.find('POST', new RegExp(`^/channels/${DM_CHANNEL_ID}/messages$`));

/** Dispatch an interaction; returns the defer callback and the edit that replaced the placeholder. */
async function interact(interaction: { id: string; token: string }) {
  await discord.send('INTERACTION_CREATE', interaction);
  const callbacks = discord.api.find(
    'POST',
    new RegExp(`^/interactions/${interaction.id}/${interaction.token}/callback$`),
  );
  const edits = discord.api.find(
    'PATCH',
    new RegExp(`^/webhooks/${APPLICATION_ID}/${interaction.token}/messages/@original$`),
  );
  const followUps = discord.api.find(
    'POST',
    new RegExp(`^/webhooks/${APPLICATION_ID}/${interaction.token}$`),
  );
  expect(callbacks).toHaveLength(1);
  expect(edits).toHaveLength(1);
  expect(followUps).toEqual([]);
  return { callback: callbacks[0]!.json as { type: number; data?: { flags?: number } }, edit: edits[0] };
}

/** Consent to everything with one press of the age-screen button. */
async function consentToAll(): Promise<void> {
  const { edit } = await interact(buttonPress(engine.adultAcceptsAll(), inDm));
  expect(sent(edit).content).toBe(textsIn(engine.testApp, 'en').savedAll);
}

describe('Discord with the real engine and SQLite', () => {
  it('onboards a new person in DMs with buttons and stores their message encrypted, under no raw id', async () => {
    const { t, notice, adultLabel, savedAll } = textsIn(engine.testApp, 'en');

    await discord.send('MESSAGE_CREATE', dmMessage('hello there'));
    const [greeting, ...moreGreeting] = dmPosts();
    expect(moreGreeting).toEqual([]);
    expect(sent(greeting).content).toBe(notice);
    expect(buttonsOf(greeting)).toEqual([
      expect.objectContaining({ custom_id: engine.issued('consent:all:en'), label: t('consent.acceptAll') }),
      expect.objectContaining({
        custom_id: engine.issued('consent:custom:000:en'),
        label: t('consent.choosePurposes'),
      }),
      expect.objectContaining({ custom_id: engine.issued('consent:none:en'), label: t('consent.decline') }),
    ]);
    await expectDatabaseEmpty(engine.testApp.db);

    const age = await interact(buttonPress(customIdOf(greeting, t('consent.acceptAll')), inDm));
    // A press in a DM is acknowledged visibly (no ephemeral flag), then answered in place.
    expect(age.callback.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(age.callback.data?.flags ?? 0).toBe(0);
    expect(sent(age.edit).content).toBe(t('consent.ageQuestion'));
    expect(buttonsOf(age.edit)).toHaveLength(3);
    expect(buttonsOf(age.edit).at(-1)).toMatchObject({
      custom_id: engine.issued('consent:age:111:adult:en'),
      label: adultLabel,
    });

    const confirmed = await interact(buttonPress(customIdOf(age.edit, adultLabel), inDm));
    expect(sent(confirmed.edit).content).toBe(savedAll);
    expect(buttonsOf(confirmed.edit)).toEqual([]);

    const secret = 'the spare key is under the blue flowerpot';
    await discord.send('MESSAGE_CREATE', dmMessage(secret));
    expect(dmPosts()).toHaveLength(2);

    await engine.expectKeptEncrypted(secret, [PERSON_ID, DM_CHANNEL_ID]);
  });

  it('in a guild, points an undecided person to DMs (ephemerally for a slash command) and stores nothing', async () => {
    const { t } = textsIn(engine.testApp, 'en');

    // An @mention: a plain channel message cannot be ephemeral, so the pointer goes by DM.
    await discord.send(
      'MESSAGE_CREATE',
      guildMessage(`<@${BOT_USER_ID}> hello everyone`, { mentionsBot: true }),
    );
    expect(discord.api.find('POST', /^\/users\/@me\/channels$/).map((r) => r.json)).toEqual([
      { recipient_id: PERSON_ID },
    ]);
    const pointers = discord.api.find('POST', new RegExp(`^/channels/dm-of-${PERSON_ID}/messages$`));
    expect(pointers.map((request) => sent(request).content)).toEqual([t('consent.groupPointer')]);
    expect(discord.api.find('POST', new RegExp(`^/channels/${GUILD_CHANNEL_ID}/`))).toEqual([]);

    // A slash command: deferred ephemerally, so only the person sees the pointer.
    const consent = await interact(slashCommand('consent', { inGuild: true }));
    expect(consent.callback).toEqual({
      type: InteractionResponseType.DeferredChannelMessageWithSource,
      data: { flags: MessageFlags.Ephemeral },
    });
    expect(sent(consent.edit).content).toBe(t('privacy.groupPointer'));
    expect(buttonsOf(consent.edit)).toEqual([]);
    expect(discord.api.find('POST', new RegExp(`^/channels/${GUILD_CHANNEL_ID}/`))).toEqual([]);

    expect(discord.turns.map((turn) => turn.isPrivateChat)).toEqual([false, false]);
    await expectDatabaseEmpty(engine.testApp.db);
  });

  it.each([
    ['a token from before a restart', '~token-this-process-never-issued'],
    ['a forged id', 'no-such-dialog:verb'],
  ])(
    'answers a press of %s with "that button no longer works" in the presser’s language, only to them',
    async (_what, customId) => {
      const press = await interact(buttonPress(customId, { inGuild: true, locale: Locale.German }));
      expect(press.callback).toEqual({
        type: InteractionResponseType.DeferredChannelMessageWithSource,
        data: { flags: MessageFlags.Ephemeral },
      });
      expect(sent(press.edit).content).toBe(textsIn(engine.testApp, 'de').t('input.unknownAction'));
      expect(discord.api.find('POST', new RegExp(`^/channels/${GUILD_CHANNEL_ID}/`))).toEqual([]);
      await expectDatabaseEmpty(engine.testApp.db);
    },
  );

  it('/export answers with the JSON file as an attachment, valid against the export schema', async () => {
    const { t } = textsIn(engine.testApp, 'en');
    await consentToAll();
    const messages = ['the tulips in my garden are yellow', 'my bicycle is the green one by the door'];
    for (const text of messages) await discord.send('MESSAGE_CREATE', dmMessage(text));

    const { edit } = await interact(slashCommand('export', inDm));

    expect(edit!.files).toHaveLength(1);
    const [attachment] = edit!.files;
    expect(attachment!.name).toMatch(/^my-data-\d{4}-\d{2}-\d{2}\.json$/);
    const file = engine.expectExportOf(attachment!.bytes.toString('utf8'), messages, [
      PERSON_ID,
      DM_CHANNEL_ID,
    ]);
    expect(sent(edit).content).toBe(t('export.ready', { count: file.history.length }));
  });

  it('/delete and the confirm button erase the person from history, profiles, subjects and data keys', async () => {
    const { t, erased } = textsIn(engine.testApp, 'en');
    await consentToAll();
    await discord.send('MESSAGE_CREATE', dmMessage('call me Sam Example'));
    await discord.send('MESSAGE_CREATE', dmMessage('the tulips in my garden are yellow'));

    const explain = await interact(slashCommand('delete', inDm));
    expect(buttonsOf(explain.edit).map((button) => button.label)).toEqual([
      t('delete.confirmButton'),
      t('delete.cancelButton'),
    ]);
    // Nothing is erased before the confirmation, which the dialog now waits for.
    await engine.expectErasurePending();

    const done = await interact(buttonPress(customIdOf(explain.edit, t('delete.confirmButton')), inDm));

    expect(sent(done.edit).content).toBe(erased);
    await engine.expectErased();
  });
});
