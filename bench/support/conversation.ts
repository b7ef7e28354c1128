/**
 * What every simulated person says, the same for our engine and for the botbuilder baseline, so
 * both do the same work: a cycle that stores notes, chats, reads the notes back and sets a name.
 * Recall reads history back (decrypting up to five notes and the profile in the full variant),
 * so the benchmark covers the read path as well as the write path.
 */
const CYCLE: readonly ((person: number, turn: number) => string)[] = [
  (person, turn) => `remember that my locker is ${(person * 7 + turn) % 500}`,
  () => 'hello, how are you today?',
  () => 'what did I tell you?',
  (person) => `call me Person ${person}`,
  (_person, turn) => `remember that the team meeting moved to room ${turn}`,
  () => 'thanks, that was helpful',
];

/** The text person `person` sends in turn `turn` (0-based) of their conversation. */
export function scriptedText(person: number, turn: number): string {
  return CYCLE[turn % CYCLE.length]!(person, turn);
}

/** The positions of "what did I tell you?" and "call me ..." in the cycle. */
const RECALL = 2;
const CALL_ME = 3;

/**
 * Whether the engine keeps turn `turn` in the history: a recall and a "call me ..." are kept out
 * of it (dialogs/memory/recall.ts, call-me.ts: a reply that repeats stored data, and the line
 * that sets a profile value, are never recorded; the profile is the one place a name lives);
 * every other scripted turn is kept, message and reply. The botbuilder baseline keeps the same.
 */
export function keptInHistory(turn: number): boolean {
  const step = turn % CYCLE.length;
  return step !== RECALL && step !== CALL_ME;
}
