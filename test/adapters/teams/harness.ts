import net from 'node:net';
import { HttpServer } from '../../../adapters/http/http-server';
import { TeamsChannel, type TeamsChannelOptions } from '../../../adapters/teams/teams-channel';
import type { TurnHandler } from '../../../src/core/channel';
import type { IncomingMessage, OutgoingMessage } from '../../../src/core/messages';
import { createLogger } from '../../../src/logging/logger';
import { TeamsConnectorDouble } from '../../support/teams-connector-double';

/** What the engine answers; may be synchronous to keep tests short. */
export type Reply = (
  message: IncomingMessage,
) => readonly OutgoingMessage[] | Promise<readonly OutgoingMessage[]>;

/**
 * The real TeamsChannel (botbuilder CloudAdapter behind the real express route of the shared
 * HttpServer) on 127.0.0.1, with authentication off, talking to a loopback connector double.
 */
export interface TeamsHarness {
  readonly connector: TeamsConnectorDouble;
  readonly channel: TeamsChannel;
  readonly received: IncomingMessage[];
  readonly logs: string[];
  readonly baseUrl: string;
  /** What the engine answers; reset to "no replies" before each test. */
  reply: Reply;
  post(activity: unknown, headers?: Record<string, string>): Promise<{ status: number; body: string }>;
  postRaw(
    body: string,
    contentType?: string,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: string }>;
  reset(): void;
  close(): Promise<void>;
}

export async function startTeamsHarness(options: Partial<TeamsChannelOptions> = {}): Promise<TeamsHarness> {
  const logs: string[] = [];
  const logger = createLogger('debug', { write: (line: string) => void logs.push(line) });
  const http = new HttpServer(logger);
  const connector = await TeamsConnectorDouble.start();
  const received: IncomingMessage[] = [];
  const channel = new TeamsChannel({
    appType: 'MultiTenant',
    appEnv: 'development',
    httpHost: '127.0.0.1',
    http,
    logger,
    typingDelayMs: 2000,
    ...options,
  });
  const harness = {
    connector,
    channel,
    received,
    logs,
    baseUrl: '',
    reply: (() => []) as Reply,
  };
  const handler: TurnHandler = async (message) => {
    received.push(message);
    return await harness.reply(message);
  };
  await channel.start(handler);
  const port = await http.listen(0, '127.0.0.1');
  harness.baseUrl = `http://127.0.0.1:${port}`;

  const postRaw = async (
    body: string,
    contentType = 'application/json',
    headers: Record<string, string> = {},
  ) => {
    const response = await fetch(`${harness.baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...headers },
      body,
    });
    return { status: response.status, body: await response.text() };
  };
  return Object.assign(harness, {
    post: (activity: unknown, headers?: Record<string, string>) =>
      postRaw(JSON.stringify(activity), 'application/json', headers),
    postRaw,
    reset() {
      received.length = 0;
      logs.length = 0;
      connector.reset();
      harness.reply = () => [];
    },
    async close() {
      await channel.stop();
      await http.close();
      await connector.close();
    },
  });
}

/** A harness shared by one describe block, with the connector double's serviceUrl at hand. */
export interface SharedTeamsHarness extends TeamsHarness {
  readonly serviceUrl: string;
}

/**
 * One harness for the describe block it is called in: started before its first test, reset before
 * each (then answering with `reply`, "no replies" if not given), closed after its last. Its members
 * reach the started harness, so the test reads them as if it held that harness itself.
 */
export function useTeamsHarness(
  options: Partial<TeamsChannelOptions> = {},
  reply?: Reply,
): SharedTeamsHarness {
  let current: TeamsHarness | undefined;
  const started = (): TeamsHarness => {
    if (!current) throw new Error('the Teams harness is started in beforeAll; use it inside a test');
    return current;
  };
  beforeAll(async () => {
    current = await startTeamsHarness(options);
  });
  afterAll(() => started().close());
  beforeEach(() => {
    started().reset();
    if (reply) started().reply = reply;
  });
  return {
    get connector() {
      return started().connector;
    },
    get channel() {
      return started().channel;
    },
    get received() {
      return started().received;
    },
    get logs() {
      return started().logs;
    },
    get baseUrl() {
      return started().baseUrl;
    },
    get serviceUrl() {
      return started().connector.serviceUrl;
    },
    get reply() {
      return started().reply;
    },
    set reply(answer: Reply) {
      started().reply = answer;
    },
    post: (activity, headers) => started().post(activity, headers),
    postRaw: (body, contentType, headers) => started().postRaw(body, contentType, headers),
    reset: () => started().reset(),
    close: () => started().close(),
  };
}

/**
 * Records the host of every outbound TCP connection (http, https and fetch all end in
 * net.Socket#connect), so a test can prove nothing left the machine, e.g. no token request to
 * login.microsoftonline.com.
 */
export function recordOutboundHosts(): { readonly hosts: string[]; restore(): void } {
  const hosts: string[] = [];
  const original = Reflect.get(net.Socket.prototype, 'connect') as (...args: unknown[]) => net.Socket;
  const recording = function (this: net.Socket, ...args: unknown[]): net.Socket {
    hosts.push(hostOf(args));
    return Reflect.apply(original, this, args);
  };
  Reflect.set(net.Socket.prototype, 'connect', recording);
  return {
    hosts,
    restore: () => void Reflect.set(net.Socket.prototype, 'connect', original),
  };
}

/** connect(options), connect(port, host) and net.createConnection's connect([options, callback]). */
function hostOf(args: readonly unknown[]): string {
  const first: unknown = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (typeof first === 'object' && first !== null) {
    const { host, path } = first as { host?: unknown; path?: unknown };
    if (typeof host === 'string') return host;
    if (typeof path === 'string') return path;
    return 'localhost';
  }
  return typeof args[1] === 'string' ? args[1] : 'localhost';
}

/** Parsed log lines, to check what was (not) logged. */
export function parsedLogs(logs: readonly string[]): Record<string, unknown>[] {
  return logs.map((line) => JSON.parse(line) as Record<string, unknown>);
}
