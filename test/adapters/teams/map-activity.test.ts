import { readActionId } from '../../../adapters/teams/action-payload';
import type { InboundActivity } from '../../../adapters/teams/activity-shape';
import { isActivityEnvelope } from '../../../adapters/teams/activity-shape';
import { isPersonalConversation, routeActivity } from '../../../adapters/teams/map-activity';

const at = new Date('2026-11-01T10:00:00Z');
const base: InboundActivity = {
  type: 'message',
  from: { id: '29:user' },
  recipient: { id: '28:bot' },
  conversation: { id: 'conv-1' },
};

function turn(activity: InboundActivity) {
  const route = routeActivity(activity, at);
  if (route.kind !== 'turn') throw new Error(`expected a turn, got ${route.kind}`);
  return route.message;
}

describe('routeActivity', () => {
  it('falls back to from.id when there is no Entra object id, and omits an absent locale', () => {
    const message = turn({ ...base, text: 'hi' });
    expect(message).toEqual({
      channel: 'teams',
      conversationKey: 'conv-1',
      userKey: '29:user',
      text: 'hi',
      isPrivateChat: true,
      receivedAt: at,
      raw: { ...base, text: 'hi' },
    });
    expect('localeHint' in message).toBe(false);
  });

  it('removes every mention of the bot but keeps mentions of people', () => {
    const message = turn({
      ...base,
      text: '<at>Bot</at> tell <at>Ana</at> about <at>Bot</at>',
      entities: [
        { type: 'mention', text: '<at>Bot</at>', mentioned: { id: '28:bot' } },
        { type: 'mention', text: '<at>Ana</at>', mentioned: { id: '29:ana' } },
      ],
    });
    expect(message.text).toBe('tell <at>Ana</at> about');
  });

  it('leaves a message that was only a mention without text', () => {
    const message = turn({
      ...base,
      text: '<at>Bot</at>',
      entities: [{ type: 'mention', text: '<at>Bot</at>', mentioned: { id: '28:bot' } }],
    });
    expect(message.text).toBeUndefined();
  });

  it('routes by action id and ignores the text of a button press', () => {
    const message = turn({ ...base, text: 'Ja', value: { action: 'consent:accept', msteams: {} } });
    expect(message.action).toBe('consent:accept');
    expect(message.text).toBeUndefined();
  });

  it('treats a foreign card payload as no action', () => {
    expect(turn({ ...base, text: 'x', value: { verb: 'other' } }).action).toBeUndefined();
  });

  it('ignores conversationUpdate without the bot, and invokes other than file consent', () => {
    expect(
      routeActivity({ ...base, type: 'conversationUpdate', membersAdded: [{ id: '29:x' }] }, at).kind,
    ).toBe('ignored');
    expect(
      routeActivity({ ...base, type: 'conversationUpdate', membersRemoved: [] } as InboundActivity, at).kind,
    ).toBe('ignored');
    expect(routeActivity({ ...base, type: 'invoke', name: 'composeExtension/query' }, at).kind).toBe(
      'ignored',
    );
  });

  it('reads file consent answers and flags unreadable ones', () => {
    const route = routeActivity(
      {
        ...base,
        type: 'invoke',
        name: 'fileConsent/invoke',
        value: { action: 'decline', context: { pendingFileId: 'p-1' } },
      },
      at,
    );
    expect(route).toEqual({ kind: 'file-consent', answer: { decision: 'decline', pendingFileId: 'p-1' } });
    const missingUpload = routeActivity(
      {
        ...base,
        type: 'invoke',
        name: 'fileConsent/invoke',
        value: { action: 'accept', context: { pendingFileId: 'p' } },
      },
      at,
    );
    expect(missingUpload).toEqual({ kind: 'file-consent', answer: undefined });
  });
});

describe('isPersonalConversation', () => {
  it.each([
    [{ id: 'c', conversationType: 'personal' }, true],
    [{ id: 'c', conversationType: 'groupChat' }, false],
    [{ id: 'c', conversationType: 'channel' }, false],
    [{ id: 'c' }, true],
    [{ id: 'c', isGroup: true }, false],
  ])('%o → %s', (conversation, personal) => {
    expect(isPersonalConversation(conversation)).toBe(personal);
  });
});

describe('readActionId', () => {
  it.each([
    [undefined],
    ['consent:accept'],
    [{ action: 42 }],
    [{ action: '' }],
    [{ action: 'x'.repeat(129) }],
  ])('rejects %o', (value) => {
    expect(readActionId(value)).toBeUndefined();
  });
});

describe('isActivityEnvelope', () => {
  const valid = {
    type: 'message',
    serviceUrl: 'https://smba.trafficmanager.net/emea/',
    conversation: { id: 'c' },
    from: { id: 'u' },
    recipient: { id: 'b' },
  };
  it('accepts the minimum and rejects anything less', () => {
    expect(isActivityEnvelope(valid)).toBe(true);
    expect(isActivityEnvelope({ ...valid, recipient: undefined })).toBe(false);
    expect(isActivityEnvelope({ ...valid, recipient: { id: '' } })).toBe(false);
    expect(isActivityEnvelope({ ...valid, serviceUrl: 'not a url' })).toBe(false);
    expect(isActivityEnvelope({ ...valid, from: {} })).toBe(false);
    expect(isActivityEnvelope({ ...valid, type: '' })).toBe(false);
    expect(isActivityEnvelope(null)).toBe(false);
  });
});

describe('routeActivity in groups and from bots (issue 12)', () => {
  const group = { id: 'g-1', conversationType: 'groupChat', isGroup: true };
  const mention = { type: 'mention', text: '<at>Bot</at>', mentioned: { id: '28:bot' } };

  it('routes a group message only when it mentions the bot or presses one of its buttons', () => {
    expect(routeActivity({ ...base, conversation: group, text: 'stop' }, at).kind).toBe('ignored');
    expect(turn({ ...base, conversation: group, text: '<at>Bot</at> stop', entities: [mention] }).text).toBe(
      '/stop',
    );
    expect(turn({ ...base, conversation: group, value: { action: 'consent:accept' } }).action).toBe(
      'consent:accept',
    );
  });

  it('never routes an activity from a bot, this one or another', () => {
    for (const from of [{ id: '28:bot' }, { id: '28:other', role: 'bot' }]) {
      expect(routeActivity({ ...base, from, text: 'hi' }, at).kind).toBe('ignored');
      expect(routeActivity({ ...base, from, type: 'invoke', name: 'adaptiveCard/action' }, at).kind).toBe(
        'ignored',
      );
    }
  });

  it('routes an Action.Execute by its data or verb, and flags one it cannot read', () => {
    const execute = (action: unknown) =>
      routeActivity({ ...base, type: 'invoke', name: 'adaptiveCard/action', value: { action } }, at);
    expect(execute({ type: 'Action.Execute', verb: 'menu:help' })).toMatchObject({
      kind: 'card-action',
      message: { action: 'menu:help', isPrivateChat: true },
    });
    expect(execute({ type: 'Action.Execute', verb: 'x', data: { action: 'consent:all:de' } })).toMatchObject({
      message: { action: 'consent:all:de' },
    });
    expect(execute({ type: 'Action.Submit', verb: 'x' })).toEqual({
      kind: 'card-action',
      message: undefined,
    });
  });
});
