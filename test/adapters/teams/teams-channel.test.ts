import { textReply } from '../../../src/core/messages';
import {
  BOT,
  GROUP,
  PERSONAL,
  USER,
  buttonPress,
  fileConsentInvoke,
  groupMention,
  membersAdded,
  message,
} from './activities';
import { parsedLogs, recordOutboundHosts, startTeamsHarness, type TeamsHarness } from './harness';

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

describe('TeamsChannel over the real CloudAdapter and express route', () => {
  let teams: TeamsHarness;
  let outbound: ReturnType<typeof recordOutboundHosts>;
  let serviceUrl: string;

  beforeAll(async () => {
    outbound = recordOutboundHosts();
    teams = await startTeamsHarness();
    serviceUrl = teams.connector.serviceUrl;
  });
  afterAll(async () => {
    await teams.close();
    outbound.restore();
  });
  beforeEach(() => teams.reset());

  it('maps a personal message and renders the reply with buttons as an Adaptive Card', async () => {
    teams.reply = () => [
      textReply('Darf ich speichern?', {
        actions: [
          { id: 'consent:accept', label: 'Ja' },
          { id: 'consent:decline', label: 'Nein' },
        ],
      }),
    ];
    const incoming = message(serviceUrl, 'hallo');

    const response = await teams.post(incoming);

    expect(response.status).toBe(200);
    expect(teams.received).toHaveLength(1);
    expect(teams.received[0]).toMatchObject({
      channel: 'teams',
      conversationKey: PERSONAL.id,
      userKey: USER.aadObjectId,
      text: 'hallo',
      localeHint: 'de-DE',
      isPrivateChat: true,
    });
    expect(teams.received[0]!.receivedAt).toBeInstanceOf(Date);
    const [sent] = teams.connector.activities;
    expect(sent).toMatchObject({ conversationId: PERSONAL.id, replyToId: incoming.id });
    expect(sent!.activity).toMatchObject({
      type: 'message',
      attachments: [
        {
          contentType: ADAPTIVE_CARD,
          content: {
            type: 'AdaptiveCard',
            body: [{ type: 'TextBlock', text: 'Darf ich speichern?' }],
            actions: [
              { type: 'Action.Submit', title: 'Ja', data: { action: 'consent:accept' } },
              { type: 'Action.Submit', title: 'Nein', data: { action: 'consent:decline' } },
            ],
          },
        },
      ],
    });
  });

  it('sends plain text as a plain message, without any token (authentication off)', async () => {
    teams.reply = () => [textReply('Hallo!')];
    await teams.post(message(serviceUrl, 'hi'));
    expect(teams.connector.activities).toHaveLength(1);
    expect(teams.connector.activities[0]!.activity).toMatchObject({ type: 'message', text: 'Hallo!' });
    expect(teams.connector.activities[0]!.authorization).toBeUndefined();
  });

  it('turns a Teams command-menu word into the slash command the engine routes', async () => {
    await teams.post(message(serviceUrl, 'Privacy'));
    expect(teams.received[0]!.text).toBe('/privacy');
  });

  it('maps a pressed Action.Submit button to its action id', async () => {
    await teams.post(buttonPress(serviceUrl, { action: 'consent:accept' }));
    expect(teams.received[0]).toMatchObject({ action: 'consent:accept', isPrivateChat: true });
    expect(teams.received[0]!.text).toBeUndefined();
  });

  it('strips the bot @mention in a group chat and marks the chat as not private', async () => {
    teams.reply = () => [textReply('Gern.')];
    await teams.post(groupMention(serviceUrl, 'was speicherst du?'));
    expect(teams.received[0]).toMatchObject({
      conversationKey: GROUP.id,
      text: 'was speicherst du?',
      isPrivateChat: false,
    });
    expect(teams.connector.sentTo(GROUP.id)).toHaveLength(1);
  });

  it('reports the bot being added as a conversation-started event', async () => {
    teams.reply = () => [textReply('Willkommen')];
    const response = await teams.post(membersAdded(serviceUrl, [BOT]));
    expect(response.status).toBe(200);
    expect(teams.received).toHaveLength(1);
    expect(teams.received[0]).toMatchObject({ event: 'conversation-started', userKey: USER.aadObjectId });
    expect(teams.received[0]!.text).toBeUndefined();
    expect(teams.connector.activities[0]!.activity.text).toBe('Willkommen');
  });

  it('ignores a conversationUpdate that only adds people', async () => {
    const response = await teams.post(membersAdded(serviceUrl, [{ id: '29:someone-else' }]));
    expect(response.status).toBe(200);
    expect(teams.received).toHaveLength(0);
  });

  it.each(['typing', 'messageReaction', 'installationUpdate', 'somethingNew'])(
    'ignores a %s activity with 200 and no turn',
    async (type) => {
      const response = await teams.post({ ...message(serviceUrl, 'x'), type });
      expect(response.status).toBe(200);
      expect(teams.received).toHaveLength(0);
      expect(teams.connector.activities).toHaveLength(0);
    },
  );

  it('answers an invoke it does not handle with 501, as the invoke contract says', async () => {
    // Message extensions are not declared in the app manifest, so Teams never sends this one.
    const response = await teams.post({
      ...fileConsentInvoke(serviceUrl, {}),
      name: 'composeExtension/query',
    });
    expect(response.status).toBe(501);
    expect(teams.received).toHaveLength(0);
  });

  it.each([
    ['invalid JSON', '{"type": "message",', 'application/json'],
    ['a JSON array', '[1, 2]', 'application/json'],
    ['no activity type', JSON.stringify({ text: 'secret words' }), 'application/json'],
    [
      'no conversation',
      JSON.stringify({ type: 'message', serviceUrl: 'http://127.0.0.1/', from: { id: 'x' } }),
      'application/json',
    ],
    ['a form body', 'type=message', 'application/x-www-form-urlencoded'],
    [
      'an oversized body',
      JSON.stringify({ type: 'message', text: 'x'.repeat(1_100_000) }),
      'application/json',
    ],
  ])('rejects %s with a 4xx and keeps serving', async (_label, body, contentType) => {
    const response = await teams.postRaw(body, contentType);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(teams.received).toHaveLength(0);
    expect(teams.logs.join('\n')).not.toContain('secret words');

    await teams.post(message(serviceUrl, 'still alive'));
    expect(teams.received[0]!.text).toBe('still alive');
  });

  it('apologises in the person’s language when the engine fails, logging only a code', async () => {
    teams.reply = () => {
      throw new Error('failure quoting the secret input');
    };
    const response = await teams.post(message(serviceUrl, 'my secret input'));
    expect(response.status).toBe(200);
    expect(teams.connector.activities[0]!.activity.text).toMatch(/^Entschuldigung/);
    const failure = parsedLogs(teams.logs).find((entry) => entry.msg === 'teams turn failed');
    expect(failure).toMatchObject({ err: { code: 'Error' }, activityType: 'message' });
    expect(teams.logs.join('\n')).not.toContain('secret input');
    expect(teams.logs.join('\n')).not.toContain(USER.aadObjectId);
  });

  it('answers /healthz from the shared server', async () => {
    const response = await fetch(`${teams.baseUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('never connected anywhere but loopback (no token request to login.microsoftonline.com)', () => {
    expect(outbound.hosts.length).toBeGreaterThan(0);
    expect(new Set(outbound.hosts)).toEqual(new Set(['127.0.0.1']));
  });
});
