import { isRecord } from './activity-shape';

/**
 * The data a button carries back to us: the Adaptive Card `Action.Submit` data (also what a
 * messageBack `value` would hold). Teams returns it verbatim in the message activity's `value`.
 */
export interface ActionPayload {
  readonly action: string;
}

/** Engine action ids are short, stable keys; anything longer did not come from a button we sent. */
const MAX_ACTION_ID_LENGTH = 128;

export function toActionPayload(actionId: string): ActionPayload {
  return { action: actionId };
}

/** The action id in an activity `value`, or undefined when the value is not one of our payloads. */
export function readActionId(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  const action = value.action;
  if (typeof action !== 'string' || action.length === 0 || action.length > MAX_ACTION_ID_LENGTH)
    return undefined;
  return action;
}
