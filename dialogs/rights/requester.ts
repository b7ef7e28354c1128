import type { Turn } from '../../src/engine/turn';
import type { Requester } from '../../src/privacy/rights/data-rights';

/** The person behind this turn, as the rights ledger records them: pseudonymous id and channel. */
export function requester(turn: Turn): Requester {
  return { subjectId: turn.subjectId, origin: turn.message.channel };
}
