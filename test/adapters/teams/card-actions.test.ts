import { textReply } from '../../../src/core/messages';
import { GROUP, USER, activity } from './activities';
import { useTeamsHarness } from './harness';

/**
 * Issue 12, defect 3: an Adaptive Card Action.Execute (Universal Actions) arrives as an
 * `adaptiveCard/action` invoke. Teams shows the person an error unless the bot answers HTTP 200
 * with an AdaptiveCardInvokeResponse; the verb (or our `{ action }` data) is routed as an action.
 */
function execute(serviceUrl: string, action: Record<string, unknown>, fields: Record<string, unknown> = {}) {
  return activity(serviceUrl, {
    type: 'invoke',
    name: 'adaptiveCard/action',
    value: { action: { type: 'Action.Execute', ...action }, trigger: 'manual' },
    ...fields,
  });
}

describe('TeamsChannel Adaptive Card Action.Execute invokes', () => {
  const teams = useTeamsHarness();

  it('answers 200 with a message response and routes the verb as the action id', async () => {
    teams.reply = () => [textReply('Deine Einstellungen sind gespeichert.')];

    const response = await teams.post(execute(teams.serviceUrl, { verb: 'consent:accept', data: {} }));

    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: 'Verstanden.',
    });
    expect(teams.received).toHaveLength(1);
    expect(teams.received[0]).toMatchObject({ action: 'consent:accept', userKey: USER.aadObjectId });
    expect(teams.received[0]!.text).toBeUndefined();
    expect(teams.connector.activities.map((sent) => sent.activity.text)).toEqual([
      'Deine Einstellungen sind gespeichert.',
    ]);
  });

  it('prefers the action id in our own card data over the verb', async () => {
    await teams.post(execute(teams.serviceUrl, { verb: 'submit', data: { action: 'consent:none:de' } }));
    expect(teams.received.map((incoming) => incoming.action)).toEqual(['consent:none:de']);
  });

  it('keeps a private reply to a card action in a group out of the group', async () => {
    teams.reply = () => [textReply('Nur für dich', { privateToSpeaker: true })];
    const response = await teams.post(execute(teams.serviceUrl, { verb: 'stop' }, { conversation: GROUP }));
    expect(response.status).toBe(200);
    expect(teams.connector.sentTo(GROUP.id)).toEqual([]);
    expect(teams.connector.sentTo(teams.connector.personalConversationOf(USER.id))).toHaveLength(1);
  });

  it('apologises in the invoke response when the engine fails', async () => {
    teams.reply = () => {
      throw new Error('engine down');
    };
    const response = await teams.post(execute(teams.serviceUrl, { verb: 'consent:accept' }));
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({
      statusCode: 200,
      value: expect.stringMatching(/^Entschuldigung/),
    });
  });

  it.each([
    ['no value', undefined],
    ['an Action.Submit', { action: { type: 'Action.Submit', verb: 'x' } }],
    ['no verb and no data', { action: { type: 'Action.Execute' } }],
    ['an oversized verb', { action: { type: 'Action.Execute', verb: 'v'.repeat(129) } }],
  ])('answers %s with an invoke error response and no turn', async (_label, value) => {
    const response = await teams.post(
      activity(teams.serviceUrl, { type: 'invoke', name: 'adaptiveCard/action', value }),
    );
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({
      statusCode: 400,
      type: 'application/vnd.microsoft.error',
    });
    expect(teams.received).toEqual([]);
  });
});
