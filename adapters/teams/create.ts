import type { HttpServer } from '../http/http-server';
import type { AppConfig } from '../../src/config/config';
import type { Logger } from '../../src/logging/logger';
import { TeamsChannel } from './teams-channel';

/** Composition-root entry: the Teams channel from the frozen configuration. */
export function createTeamsChannel(config: AppConfig, logger: Logger, http: HttpServer): TeamsChannel {
  return new TeamsChannel({
    appId: config.teams.appId,
    appPassword: config.teams.appPassword,
    tenantId: config.teams.tenantId,
    appType: config.teams.appType,
    appEnv: config.env,
    httpHost: config.http.host,
    allowedTenants: config.teams.allowedTenants,
    http,
    logger,
  });
}
