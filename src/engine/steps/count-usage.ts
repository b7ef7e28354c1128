import type { Next } from '../../core/pipeline';
import type { Route, Turn } from '../turn';

/**
 * The `analytics` purpose: after the turn, if the person allows analytics then (a turn may have
 * just withdrawn it), one use of the feature the turn was routed to is counted, as an anonymous
 * daily total (src/privacy/usage-tally.ts). Nothing about the person or what they wrote is kept.
 */
export async function countUsage(turn: Turn, next: Next): Promise<void> {
  await next();
  const feature = featureOf(turn.route);
  if (feature && turn.allows('analytics')) turn.services.usage.count(feature, turn.now);
}

/** The dialog a turn went to, or `fallback` for a message nothing understood. */
function featureOf(route: Route): string | undefined {
  switch (route.kind) {
    case 'command':
    case 'intent':
    case 'action':
    case 'continue':
      return route.dialog.id;
    case 'fallback':
      return 'fallback';
    default:
      return undefined;
  }
}
