import { readActionId } from './action-payload';
import { isNonEmptyString, isRecord } from './activity-shape';

/**
 * Universal Actions: an Adaptive Card `Action.Execute` arrives as an `adaptiveCard/action` invoke
 * whose value is `{ action: { type: 'Action.Execute', verb, data }, trigger }`. Teams shows the
 * person an error unless the bot answers HTTP 200 with an AdaptiveCardInvokeResponse
 * (botframework-schema): `{ statusCode, type, value }`.
 */
export const INVOKE_RESPONSE_TYPES = {
  message: 'application/vnd.microsoft.activity.message',
  error: 'application/vnd.microsoft.error',
} as const;

export interface AdaptiveCardInvokeResponse {
  readonly statusCode: number;
  readonly type: string;
  readonly value: unknown;
}

/** Same limit as a submitted button: engine action ids are short, stable keys. */
const MAX_VERB_LENGTH = 128;

/**
 * The engine action id of an Action.Execute: our own `{ action: id }` data when the card was ours,
 * else the verb. Undefined when the value is not an Action.Execute we can route.
 */
export function readCardActionId(value: unknown): string | undefined {
  if (!isRecord(value) || !isRecord(value.action) || value.action.type !== 'Action.Execute') return undefined;
  const { data, verb } = value.action;
  const fromData = readActionId(data);
  if (fromData) return fromData;
  return isNonEmptyString(verb) && verb.length <= MAX_VERB_LENGTH ? verb : undefined;
}

/** The card stays as it is and Teams shows `text` to the person who pressed the button. */
export function messageResponse(text: string): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: INVOKE_RESPONSE_TYPES.message, value: text };
}

/** What botbuilder's ActivityHandler answers to a value it cannot read; the message is fixed text. */
export function badRequestResponse(): AdaptiveCardInvokeResponse {
  return {
    statusCode: 400,
    type: INVOKE_RESPONSE_TYPES.error,
    value: { code: 'BadRequest', message: 'Not an Action.Execute this bot can handle.' },
  };
}
