import { z } from 'zod';
import { ConfigError } from '../../src/core/errors';
import { bool, isLoopbackHost, optionalString } from '../../src/config/env-values';
import type { TeamsSettings } from './create';
import { defineChannel, type HostSettings } from '../channel-definition';

/**
 * Microsoft Teams (and the Bot Framework Emulator): on when MICROSOFT_APP_ID is set, or with
 * TEAMS_ENABLED=true for the Emulator on this machine.
 */
export const teams = defineChannel({
  variables: {
    MICROSOFT_APP_ID: optionalString,
    MICROSOFT_APP_PASSWORD: optionalString,
    MICROSOFT_APP_TENANT_ID: optionalString,
    MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
    TEAMS_ENABLED: bool.default(false),
    // Entra tenant ids (GUIDs), comma-separated; unset admits every tenant. Compared lower-cased.
    TEAMS_ALLOWED_TENANTS: optionalString
      .transform((value) =>
        value
          ?.split(',')
          .map((tenant) => tenant.trim().toLowerCase())
          .filter((tenant) => tenant !== ''),
      )
      .refine((tenants) => tenants === undefined || tenants.length > 0, 'list at least one tenant id'),
  },
  settings: (values, host): TeamsSettings => {
    if (values.TEAMS_ENABLED) checkAuthenticationOff(values.MICROSOFT_APP_ID, host);
    return {
      enabled: values.TEAMS_ENABLED || Boolean(values.MICROSOFT_APP_ID),
      appId: values.MICROSOFT_APP_ID,
      appPassword: values.MICROSOFT_APP_PASSWORD,
      tenantId: values.MICROSOFT_APP_TENANT_ID,
      appType: values.MICROSOFT_APP_TYPE,
      allowedTenants: values.TEAMS_ALLOWED_TENANTS,
    };
  },
  isOn: (settings) => settings.enabled,
  // "Approximately 28 KB" per chat message,
  // https://learn.microsoft.com/en-us/microsoftteams/limits-specifications-teams. UTF-8 needs at
  // least one byte per character, so 28 KiB of characters is never less than Teams lets through.
  maxMessageChars: 28 * 1024,
  create: async (settings, { logger, http, host }) =>
    (await import('./create')).createTeamsChannel(settings, host, logger, http),
});

/**
 * Without MICROSOFT_APP_ID botbuilder checks no signature: anyone who reaches /api/messages can
 * speak as any Teams user and have the reply (an export too) sent to any serviceUrl. That is only
 * acceptable for the Emulator on this machine, so it needs a loopback HTTP_HOST and no production.
 */
function checkAuthenticationOff(appId: string | undefined, host: HostSettings): void {
  if (appId) return;
  if (host.appEnv === 'production') {
    throw new ConfigError('MICROSOFT_APP_ID: required in production when TEAMS_ENABLED=true');
  }
  if (!isLoopbackHost(host.httpHost)) {
    throw new ConfigError(
      'MICROSOFT_APP_ID: required when TEAMS_ENABLED=true and HTTP_HOST is not loopback ' +
        '(set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD, or HTTP_HOST=127.0.0.1 for the Emulator)',
    );
  }
}
