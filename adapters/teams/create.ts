import type { HttpServer } from '../http/http-server';
import type { Logger } from '../../src/logging/logger';
import type { HostSettings } from '../channel-definition';
import { TeamsChannel } from './teams-channel';

/** The Teams section of the configuration (adapters/teams/definition.ts reads it). */
export interface TeamsSettings {
  /** MICROSOFT_APP_ID set, or TEAMS_ENABLED=true for the Emulator on this machine. */
  readonly enabled: boolean;
  readonly appId: string | undefined;
  readonly appPassword: string | undefined;
  readonly tenantId: string | undefined;
  readonly appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  /** Lower-cased Entra tenant ids; undefined admits every tenant. */
  readonly allowedTenants: readonly string[] | undefined;
}

/** The channel's factory (its definition loads this file only when Teams is turned on). */
export function createTeamsChannel(
  settings: TeamsSettings,
  host: HostSettings,
  logger: Logger,
  http: HttpServer,
): TeamsChannel {
  return new TeamsChannel({
    appId: settings.appId,
    appPassword: settings.appPassword,
    tenantId: settings.tenantId,
    appType: settings.appType,
    appEnv: host.appEnv,
    httpHost: host.httpHost,
    allowedTenants: settings.allowedTenants,
    http,
    logger,
  });
}
