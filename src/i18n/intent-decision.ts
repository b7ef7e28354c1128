import type { IntentClassification } from './intent-classifier';
import { NONE_INTENT } from './intent-corpus';

/** INTENT_ROUTE_SCORE and INTENT_CLARIFY_SCORE: chosen from `npm run eval:intents` (see README). */
export interface IntentThresholds {
  /** At or above: the message goes straight to the intent. */
  readonly route: number;
  /** At or above (and below `route`): "Did you mean ...?" with the two best intents. */
  readonly clarify: number;
}

/** Intents that cannot be undone; from free text they always ask for confirmation first. */
export const DESTRUCTIVE_INTENTS: readonly string[] = ['delete', 'stop'];

export const DEFAULT_INTENT_THRESHOLDS: IntentThresholds = { route: 0.8, clarify: 0.5 };

export type IntentDecision =
  | { readonly kind: 'route'; readonly intent: string }
  | { readonly kind: 'clarify'; readonly intents: readonly string[] }
  | { readonly kind: 'none' };

/** What to do with a classified message: route it, ask which of two it meant, or not understand it. */
export function decideIntent(
  classification: IntentClassification,
  thresholds: IntentThresholds,
): IntentDecision {
  // A message that names nothing an erasure or withdrawal could be about is not one, whatever
  // the score: it is left out of the candidates, never offered in a clarification either.
  const ranked = classification.destructiveMarker
    ? classification.ranked
    : classification.ranked.filter(({ intent }) => !DESTRUCTIVE_INTENTS.includes(intent));
  const candidates = ranked.filter(({ intent }) => intent !== NONE_INTENT);
  const [best, second] = ranked;
  if (!best || best.intent === NONE_INTENT || best.score < thresholds.clarify) return { kind: 'none' };
  if (best.score >= thresholds.route) return { kind: 'route', intent: best.intent };
  const runnerUp = candidates[1] ?? second;
  const intents =
    runnerUp && runnerUp.intent !== NONE_INTENT ? [best.intent, runnerUp.intent] : [best.intent];
  return { kind: 'clarify', intents };
}
