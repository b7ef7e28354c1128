import type { OperatorCliDeps } from '../cli-io';

export interface PrivacyCliDeps extends OperatorCliDeps {
  /** Replaces the system clock (the app's, and "now" for overdue requests) so tests can pin time. */
  readonly clock?: () => Date;
}
