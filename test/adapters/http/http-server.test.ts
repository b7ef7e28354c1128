import { HttpServer } from '../../../adapters/http/http-server';
import { createLogger } from '../../../src/logging/logger';

/**
 * The shared HTTP server on 127.0.0.1 with routes that fail the ways real ones do: every error is
 * a bare status, logged once by code, and nothing is written to stderr behind the logger.
 */
describe('HttpServer errors', () => {
  const logs: string[] = [];
  let server: HttpServer;
  let baseUrl: string;
  let consoleError: jest.SpyInstance;

  beforeAll(async () => {
    const logger = createLogger('debug', { write: (line: string) => void logs.push(line) });
    server = new HttpServer(logger);
    server.app.get('/boom', () => {
      const error = new Error('getaddrinfo ENOTFOUND internal-db.corp.example');
      throw error;
    });
    server.app.get('/boom-async', async () => {
      await Promise.resolve();
      throw Object.assign(new Error('connect ECONNREFUSED 10.1.2.3:27017'), { code: 'ECONNREFUSED' });
    });
    server.app.get('/teapot', () => {
      throw Object.assign(new Error('client mistake quoting "secret body"'), { status: 418 });
    });
    const port = await server.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${port}`;
  });
  afterAll(() => server.close());
  beforeEach(() => {
    logs.length = 0;
    consoleError = jest.spyOn(console, 'error');
  });
  afterEach(() => consoleError.mockRestore());

  async function get(path: string) {
    const response = await fetch(`${baseUrl}${path}`);
    return { status: response.status, body: await response.text(), headers: response.headers };
  }

  function entries(): Record<string, unknown>[] {
    return logs.map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  it.each([
    ['/boom', 500, 'HTTP_SERVER_ERROR'],
    ['/boom-async', 500, 'HTTP_SERVER_ERROR'],
    ['/teapot', 418, 'HTTP_CLIENT_ERROR'],
  ])('answers a failing route %s with a bare %i, logged once by code', async (path, status, code) => {
    const response = await get(path);

    expect(response.status).toBe(status);
    expect(response.body).toBe('');
    const failures = entries().filter((entry) => entry.code === code);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ status, err: { code: expect.any(String) } });
    const all = logs.join('\n');
    for (const detail of ['ENOTFOUND', 'internal-db', '10.1.2.3', 'secret body', '    at ']) {
      expect(all).not.toContain(detail);
    }
    expect(consoleError).not.toHaveBeenCalled();
  });

  it('answers an unknown path with a bare 404, not Express’s HTML page', async () => {
    const response = await get('/nothing-here');
    expect(response.status).toBe(404);
    expect(response.body).toBe('');
    expect(entries().filter((entry) => entry.code === 'HTTP_NOT_FOUND')).toHaveLength(1);
  });

  it('does not say it is Express, and still answers the probes', async () => {
    const health = await get('/healthz');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ status: 'ok' });
    expect(health.headers.get('x-powered-by')).toBeNull();
    expect((await get('/nothing')).headers.get('x-powered-by')).toBeNull();
  });
});
