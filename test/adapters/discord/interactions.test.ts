import { InteractionResponseType, InteractionType, Locale, MessageFlags } from 'discord.js';
import { textReply } from '../../../src/core/messages';
import { STALE_BUTTON_ACTION } from '../../../adapters/button-ids';
import { APPLICATION_ID } from '../../support/discord-api-double';
import { buttonPress, DM_CHANNEL_ID, GUILD_CHANNEL_ID, PERSON_ID, slashCommand } from './fixtures';
import { startHarness, type Harness } from './harness';

interface CallbackBody {
  type: InteractionResponseType;
  data?: { flags?: number };
}

describe('Discord interactions', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  it('answers /privacy in a guild ephemerally: deferred with flag 64, then the reply edited in', async () => {
    harness = await startHarness({
      replies: [
        textReply('What we store, and why', { actions: [{ id: 'privacy:export', label: 'Export' }] }),
        textReply('Your rights'),
      ],
    });
    const interaction = slashCommand('privacy', { inGuild: true, locale: Locale.German });
    await harness.send('INTERACTION_CREATE', interaction);

    expect(harness.turns).toEqual([
      expect.objectContaining({
        channel: 'discord',
        conversationKey: GUILD_CHANNEL_ID,
        userKey: PERSON_ID,
        text: '/privacy',
        localeHint: 'de',
        isPrivateChat: false,
      }),
    ]);

    const callbacks = harness.api.find(
      'POST',
      new RegExp(`^/interactions/${interaction.id}/${interaction.token}/callback$`),
    );
    expect(callbacks).toHaveLength(1);
    const callback = callbacks[0]!.json as CallbackBody;
    expect(callback.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(callback.data?.flags).toBe(MessageFlags.Ephemeral);
    // Interaction endpoints authenticate by the interaction token in the path, not the bot token.
    expect(callbacks[0]!.authorization).toBeUndefined();

    const [edited] = harness.api.find(
      'PATCH',
      new RegExp(`^/webhooks/${APPLICATION_ID}/${interaction.token}/messages/@original$`),
    );
    expect(edited?.json).toMatchObject({
      content: 'What we store, and why',
      components: [{ components: [{ custom_id: 'privacy:export', label: 'Export' }] }],
    });
    const [followUp] = harness.api.find(
      'POST',
      new RegExp(`^/webhooks/${APPLICATION_ID}/${interaction.token}$`),
    );
    expect(followUp?.json).toMatchObject({ content: 'Your rights', flags: MessageFlags.Ephemeral });
    // Nothing was posted into the guild channel itself.
    expect(harness.api.find('POST', /^\/channels\//)).toHaveLength(0);
  });

  it('passes a command option on as text, and the client locale as the locale hint', async () => {
    harness = await startHarness({ replies: [textReply('Sprache geändert')] });
    await harness.send(
      'INTERACTION_CREATE',
      slashCommand('language', { inGuild: false, locale: Locale.SpanishES }, [{ name: 'code', value: 'de' }]),
    );

    expect(harness.turns[0]).toMatchObject({
      text: '/language de',
      localeHint: 'es-ES',
      conversationKey: DM_CHANNEL_ID,
      isPrivateChat: true,
    });
  });

  it('defers a DM command visibly, and marks only private follow-ups ephemeral', async () => {
    harness = await startHarness({
      replies: [
        textReply('Menu'),
        textReply('Just for you', { privateToSpeaker: true }),
        textReply('Public'),
      ],
    });
    const interaction = slashCommand('help', { inGuild: false });
    await harness.send('INTERACTION_CREATE', interaction);

    const [callback] = harness.api.find('POST', /\/callback$/);
    expect((callback?.json as CallbackBody).data?.flags ?? 0).toBe(0);
    const followUps = harness.api
      .find('POST', new RegExp(`^/webhooks/${APPLICATION_ID}/${interaction.token}$`))
      .map((r) => r.json as { content: string; flags?: number });
    expect(followUps).toEqual([
      expect.objectContaining({ content: 'Just for you', flags: MessageFlags.Ephemeral }),
      expect.not.objectContaining({ flags: MessageFlags.Ephemeral }),
    ]);
  });

  it('maps a button press to its action and answers with a new ephemeral reply in a guild', async () => {
    harness = await startHarness({ replies: [textReply('Saved')] });
    const press = buttonPress('consent:yes', { inGuild: true, locale: Locale.French });
    await harness.send('INTERACTION_CREATE', press);

    expect(harness.turns).toHaveLength(1);
    expect(harness.turns[0]).toMatchObject({ action: 'consent:yes', localeHint: 'fr', isPrivateChat: false });
    expect('text' in harness.turns[0]!).toBe(false);
    const [callback] = harness.api.find(
      'POST',
      new RegExp(`^/interactions/${press.id}/${press.token}/callback$`),
    );
    expect(callback?.json).toMatchObject({
      type: InteractionResponseType.DeferredChannelMessageWithSource,
      data: { flags: MessageFlags.Ephemeral },
    });
    expect(harness.api.find('PATCH', /\/messages\/@original$/)).toHaveLength(1);
  });

  it('round-trips an action id longer than the 100-character custom_id limit', async () => {
    const longId = `consent:grant:${'history,'.repeat(20)}policy-2026-11-01`;
    harness = await startHarness({
      replies: (message) =>
        message.action
          ? [textReply('Done')]
          : [textReply('Agree?', { actions: [{ id: longId, label: 'Agree' }] })],
    });
    await harness.send('INTERACTION_CREATE', slashCommand('consent', { inGuild: false }));

    const [edited] = harness.api.find('PATCH', /\/messages\/@original$/);
    const customId = (edited?.json as { components: { components: { custom_id: string }[] }[] })
      .components[0]!.components[0]!.custom_id;
    expect(longId.length).toBeGreaterThan(100);
    expect(customId.length).toBeLessThanOrEqual(100);

    await harness.send('INTERACTION_CREATE', buttonPress(customId, { inGuild: false }));
    expect(harness.turns[1]?.action).toBe(longId);
  });

  it.each([
    ['in a guild', true],
    ['in a DM', false],
  ])(
    'answers a press of a button it no longer knows %s: a turn the engine answers, shown only to the presser',
    async (_where, inGuild) => {
      harness = await startHarness({
        replies: (message) =>
          message.action === STALE_BUTTON_ACTION ? [textReply('That button no longer works.')] : [],
      });
      const press = buttonPress('~unknown-token', { inGuild, locale: Locale.German });
      await harness.send('INTERACTION_CREATE', press);

      // The engine answers it as an unknown action, in the language the person chose with the bot.
      expect(harness.turns).toEqual([
        expect.objectContaining({ action: STALE_BUTTON_ACTION, localeHint: 'de', isPrivateChat: !inGuild }),
      ]);
      const [callback] = harness.api.find('POST', /\/callback$/);
      // Never a silent DeferredMessageUpdate: the person would see nothing happen.
      expect(callback?.json).toEqual({
        type: InteractionResponseType.DeferredChannelMessageWithSource,
        data: { flags: MessageFlags.Ephemeral },
      });
      const [edited] = harness.api.find('PATCH', /\/messages\/@original$/);
      expect(edited?.json).toMatchObject({ content: 'That button no longer works.' });
      expect(harness.api.find('POST', /^\/channels\//)).toHaveLength(0);
      expect(harness.logLines.join('\n')).toContain('BUTTON_EXPIRED');
    },
  );

  it('delivers a file reply to an interaction as a multipart attachment', async () => {
    const bytes = Buffer.from('{"schemaVersion":1}');
    harness = await startHarness({
      replies: [textReply('Your data', { file: { name: 'my-data.json', mime: 'application/json', bytes } })],
    });
    await harness.send('INTERACTION_CREATE', slashCommand('export', { inGuild: true }));

    const [edited] = harness.api.find('PATCH', /\/messages\/@original$/);
    expect(edited?.files.map((f) => f.name)).toEqual(['my-data.json']);
    expect(edited?.files[0]?.bytes.equals(bytes)).toBe(true);
    expect(edited?.json).toMatchObject({ content: 'Your data' });
  });

  it('removes the placeholder when the turn fails, and logs only an error code', async () => {
    harness = await startHarness({
      replies: () =>
        Promise.reject(Object.assign(new Error('secret words from the person'), { code: 'BOOM' })),
    });
    const interaction = slashCommand('delete', { inGuild: true });
    await harness.send('INTERACTION_CREATE', interaction);

    expect(
      harness.api.find(
        'DELETE',
        new RegExp(`/webhooks/${APPLICATION_ID}/${interaction.token}/messages/@original$`),
      ),
    ).toHaveLength(1);
    const logs = harness.logLines.join('\n');
    expect(logs).toContain('Error:BOOM');
    expect(logs).not.toContain('secret words');
    expect(logs).not.toContain(PERSON_ID);
  });

  it('logs a refused reply with its code and carries on with the next one', async () => {
    harness = await startHarness({ replies: [textReply('first'), textReply('second')] });
    harness.api.respond('PATCH', /\/messages\/@original$/, () => ({
      status: 403,
      body: { code: 50001, message: 'Missing Access' },
    }));
    await harness.send('INTERACTION_CREATE', slashCommand('mydata', { inGuild: true }));

    expect(harness.logLines.join('\n')).toContain('50001');
    expect(
      harness.api.find('POST', /^\/webhooks\//).map((r) => (r.json as { content: string }).content),
    ).toEqual(['second']);
  });

  it('ignores interaction kinds it never offers, and unknown payloads, without crashing', async () => {
    harness = await startHarness({ replies: [textReply('never sent')] });
    const autocomplete = {
      ...slashCommand('language', { inGuild: true }),
      type: InteractionType.ApplicationCommandAutocomplete,
    };
    const unknownType = { ...slashCommand('privacy', { inGuild: true }), type: 99 };
    const unknownCommandKind = {
      ...slashCommand('privacy', { inGuild: true }),
      data: { id: '1', name: 'x', type: 42 },
    };

    await harness.send('INTERACTION_CREATE', autocomplete);
    await harness.send('INTERACTION_CREATE', unknownType);
    await harness.send('INTERACTION_CREATE', unknownCommandKind);

    expect(harness.turns).toHaveLength(0);
    expect(harness.api.requests).toHaveLength(0);
  });
});
