import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import { ConfigError } from '../../src/core/errors';

/** botframework-connector's type, which botbuilder does not re-export. */
type AuthenticateRequestResult = Awaited<
  ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>
>;

export type TeamsAppType = 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';

export interface BotIdentity {
  readonly appId?: string | undefined;
  readonly appPassword?: string | undefined;
  readonly tenantId?: string | undefined;
  readonly appType: TeamsAppType;
}

/**
 * botbuilder's CloudAdapter with its two steps apart. `CloudAdapter.process` authenticates and
 * runs the turn in one call, and on any failure writes the error to stderr with console.error and
 * puts its message (a DNS name, a key list) into the HTTP response. Split, the channel answers
 * each outcome itself, and can refuse an authenticated request (wrong channel or tenant) before
 * a turn starts.
 */
export class TeamsCloudAdapter extends CloudAdapter {
  /** Rejects with botbuilder's AuthenticationError, or the jsonwebtoken or fetch error behind it. */
  authenticate(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    return this.botFrameworkAuthentication.authenticateRequest(activity, authHeader);
  }

  /** Runs the turn; for an invoke, resolves to the response the turn left (501 if none). */
  run(
    auth: AuthenticateRequestResult,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(auth, activity, logic);
  }
}

/**
 * The botbuilder 4.23 CloudAdapter for this identity. With no app id, botbuilder turns
 * authentication off both ways: inbound activities need no JWT (anonymous claims) and outbound
 * calls carry no token, so nothing is fetched from login.microsoftonline.com. That is for the
 * Emulator and the loopback tests only, and TeamsChannel allows it only on a loopback address.
 */
export function createCloudAdapter(identity: BotIdentity): TeamsCloudAdapter {
  checkIdentity(identity);
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: identity.appId ?? '',
    MicrosoftAppPassword: identity.appPassword ?? '',
    MicrosoftAppTenantId: identity.tenantId ?? '',
    // botbuilder asserts a tenant for SingleTenant/MSI even when there is no app id to use it with.
    MicrosoftAppType: identity.appId ? identity.appType : 'MultiTenant',
  });
  return new TeamsCloudAdapter(auth);
}

/** The same rules botbuilder asserts, reported by the environment variable to fix. */
function checkIdentity({ appId, appPassword, tenantId, appType }: BotIdentity): void {
  if (!appId) return;
  if (appType !== 'MultiTenant' && !tenantId) {
    throw new ConfigError(`MICROSOFT_APP_TENANT_ID: required when MICROSOFT_APP_TYPE=${appType}`);
  }
  if (appType === 'UserAssignedMSI' && appPassword) {
    throw new ConfigError('MICROSOFT_APP_PASSWORD: must be empty when MICROSOFT_APP_TYPE=UserAssignedMSI');
  }
  if (appType !== 'UserAssignedMSI' && !appPassword) {
    throw new ConfigError(`MICROSOFT_APP_PASSWORD: required when MICROSOFT_APP_ID is set (${appType})`);
  }
}
