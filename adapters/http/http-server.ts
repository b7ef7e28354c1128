import http from 'node:http';
import express from 'express';
import type { Logger } from '../../src/logging/logger';

/**
 * The one HTTP server of the process: Teams' /api/messages, the Telegram webhook and the health
 * probes share it, so a deployment exposes a single port behind any load balancer.
 */
export class HttpServer {
  readonly app = express();
  private server: http.Server | undefined;
  private ready = false;

  constructor(private readonly logger: Logger) {
    this.app.disable('x-powered-by');
    this.app.get('/healthz', (_req, res) => {
      res.status(200).json({ status: 'ok' });
    });
    this.app.get('/readyz', (_req, res) => {
      res.status(this.ready ? 200 : 503).json({ status: this.ready ? 'ready' : 'starting' });
    });
  }

  /** Flip to true once the database and channels are up; false again while shutting down. */
  setReady(ready: boolean): void {
    this.ready = ready;
  }

  async listen(port: number, host: string): Promise<number> {
    const server = http.createServer(this.app);
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const address = server.address();
    const boundPort = typeof address === 'object' && address ? address.port : port;
    this.logger.info({ port: boundPort }, 'http server listening');
    return boundPort;
  }

  /** Stop accepting connections and wait for in-flight requests (graceful shutdown on SIGTERM). */
  async close(): Promise<void> {
    this.ready = false;
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve, reject) =>
      server.close((error) => (error ? reject(error) : resolve())),
    );
    this.server = undefined;
  }
}
