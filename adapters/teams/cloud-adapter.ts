import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { ConfigError } from '../../src/core/errors';

export type TeamsAppType = 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';

export interface BotIdentity {
  readonly appId?: string | undefined;
  readonly appPassword?: string | undefined;
  readonly tenantId?: string | undefined;
  readonly appType: TeamsAppType;
}

/**
 * The botbuilder 4.23 CloudAdapter for this identity. With no app id, botbuilder turns
 * authentication off both ways: inbound activities need no JWT (anonymous claims) and outbound
 * calls carry no token, so nothing is fetched from login.microsoftonline.com. That is for the
 * Emulator and the loopback tests only; a deployment always sets MICROSOFT_APP_ID.
 */
export function createCloudAdapter(identity: BotIdentity): CloudAdapter {
  checkIdentity(identity);
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: identity.appId ?? '',
    MicrosoftAppPassword: identity.appPassword ?? '',
    MicrosoftAppTenantId: identity.tenantId ?? '',
    // botbuilder asserts a tenant for SingleTenant/MSI even when there is no app id to use it with.
    MicrosoftAppType: identity.appId ? identity.appType : 'MultiTenant',
  });
  return new CloudAdapter(auth);
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
