import type { z } from 'zod';
import type { Channel } from '../src/core/channel';
import type { CommandMenu } from '../src/engine/command-menu';
import type { Logger } from '../src/logging/logger';
import type { HttpServer } from './http/http-server';

/** What a channel may read of the rest of the configuration, to check its own. */
export interface HostSettings {
  readonly appEnv: 'development' | 'test' | 'production';
  /** HTTP_HOST: where the shared HTTP server listens (webhooks, Teams' messaging endpoint). */
  readonly httpHost: string;
}

/** What a channel factory gets from the composition root besides its own settings. */
export interface ChannelContext {
  readonly logger: Logger;
  /** The one HTTP server webhooks share (Telegram's webhook, Teams' messaging endpoint). */
  readonly http: HttpServer;
  /** The app's command menu, for channels that publish one. */
  readonly menu: CommandMenu;
  readonly host: HostSettings;
}

/**
 * Everything the rest of the app needs to know of one platform channel, in the channel's own
 * folder: its environment variables, how they become its settings, when they turn it on, the
 * longest message the platform delivers, and its factory. adapters/index.ts lists them; the
 * configuration, the composition root and the operator CLI read that list. This file and each
 * definition load no SDK: the factory imports the channel only when it runs.
 */
export interface ChannelDefinition<Variables extends z.ZodRawShape, Settings> {
  /**
   * Its environment variables, validated with all the others by loadConfig (src/config/config.ts);
   * each is documented in .env.example and the README, and a test keeps them in step.
   */
  readonly variables: Variables;
  /**
   * Its section of the frozen configuration. Throws a ConfigError naming the variable when the
   * values cannot work together, so the bot refuses to start rather than misbehave.
   */
  settings(values: z.output<z.ZodObject<Variables>>, host: HostSettings): Settings;
  /** Its settings turn it on (a token, a switch); with none on, the terminal runs. */
  isOn(settings: Settings): boolean;
  /**
   * The longest message a person can send on the platform, in characters (Unicode code points):
   * the input guard (src/engine/steps/guard-input.ts) never refuses a message the platform
   * delivered, so it allows the larger of this and MAX_MESSAGE_CHARS.
   */
  readonly maxMessageChars: number;
  /** Loads the channel and its SDK, only now, so the terminal starts without any. */
  create(settings: Settings, context: ChannelContext): Promise<Channel>;
}

/** Infers a definition's types from its variables, so `settings` sees each value typed. */
export function defineChannel<Variables extends z.ZodRawShape, Settings>(
  definition: ChannelDefinition<Variables, Settings>,
): ChannelDefinition<Variables, Settings> {
  return definition;
}
