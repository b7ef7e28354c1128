import http from 'node:http';
import express from 'express';
import type { Logger } from '../../src/logging/logger';

/**
 * The one HTTP server of the process: Teams' /api/messages, the Telegram webhook and the health
 * probes share it, so a deployment exposes a single port behind any load balancer.
 *
 * Channels mount their routes on `app` whenever they start. `app` is itself mounted on an outer
 * application whose last two handlers answer everything the routes left over: an unknown path and
 * any error. Both answer a bare status and log it once by code, so no response ever carries
 * Express's HTML page, a stack trace or an error message (which may quote a DNS name or the body),
 * and Express's final handler, which writes errors to stderr with console.error, never runs.
 */
export class HttpServer {
  readonly app = express();
  private readonly root = express();
  private server: http.Server | undefined;
  private ready = false;

  constructor(private readonly logger: Logger) {
    for (const application of [this.root, this.app]) {
      application.disable('x-powered-by');
      // Express's production behaviour whatever NODE_ENV says (APP_ENV is what this app reads);
      // the handlers below already keep details out of responses in every environment.
      application.set('env', 'production');
    }
    this.app.get('/healthz', (_req, res) => {
      res.status(200).json({ status: 'ok' });
    });
    this.app.get('/readyz', (_req, res) => {
      res.status(this.ready ? 200 : 503).json({ status: this.ready ? 'ready' : 'starting' });
    });
    this.root.use(this.app);
    this.root.use((_req: express.Request, res: express.Response) => {
      // Scanners probe paths all day: worth a line, not a warning.
      this.logger.info({ code: 'HTTP_NOT_FOUND', status: 404 }, 'http request for an unknown path');
      res.status(404).end();
    });
    this.root.use(
      (error: unknown, req: express.Request, res: express.Response, _next: express.NextFunction) =>
        this.fail(error, req, res),
    );
  }

  /** Flip to true once the database and channels are up; false again while shutting down. */
  setReady(ready: boolean): void {
    this.ready = ready;
  }

  async listen(port: number, host: string): Promise<number> {
    const server = http.createServer(this.root);
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

  /**
   * A client error keeps its status (the body parser's 400 and 413); anything else is a 500.
   * The error is logged through the serializer, which keeps its code and drops its message.
   */
  private fail(error: unknown, req: express.Request, res: express.Response): void {
    const status = httpStatusOf(error);
    const code = status < 500 ? 'HTTP_CLIENT_ERROR' : 'HTTP_SERVER_ERROR';
    this.logger[status < 500 ? 'warn' : 'error']({ err: error, code, status }, 'http request failed');
    if (res.headersSent) {
      // Part of a response is out: only closing the connection tells the client it is incomplete.
      req.socket.destroy();
      return;
    }
    res.status(status).end();
  }
}

function httpStatusOf(error: unknown): number {
  if (typeof error !== 'object' || error === null) return 500;
  const { status, statusCode } = error as { status?: unknown; statusCode?: unknown };
  const candidate = typeof status === 'number' ? status : statusCode;
  return typeof candidate === 'number' && candidate >= 400 && candidate < 500 ? candidate : 500;
}
