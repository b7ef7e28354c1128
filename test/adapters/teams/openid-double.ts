import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import http from 'node:http';

/**
 * A loopback stand-in for the Bot Connector's OpenID metadata (the signing keys botbuilder checks
 * an activity's JWT against), and a signer for tokens as the Bot Connector writes them. Lets tests
 * drive botbuilder's real token validation without login.botframework.com.
 */
export class OpenIdDouble {
  readonly keyId = 'test-signing-key';

  private constructor(
    private readonly server: http.Server,
    readonly metadataUrl: string,
    /** The key the published JWKS holds. */
    readonly signingKey: KeyObject,
    /** A key that is not published: tokens signed with it are forged. */
    readonly forgingKey: KeyObject,
  ) {}

  static async start(): Promise<OpenIdDouble> {
    const published = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forging = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const base = `http://127.0.0.1:${port}`;
    const metadataUrl = `${base}/.well-known/openidconfiguration`;
    const double = new OpenIdDouble(server, metadataUrl, published.privateKey, forging);
    const jwk = published.publicKey.export({ format: 'jwk' });
    const jwks = { keys: [{ ...jwk, kid: double.keyId, use: 'sig', endorsements: ['msteams'] }] };
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      const body =
        req.url === '/keys' ? jwks : { issuer: 'https://api.botframework.com', jwks_uri: `${base}/keys` };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
    return double;
  }

  /** A Bot Connector style RS256 token for `appId`, signed with `key`. */
  token(appId: string, serviceUrl: string, key: KeyObject, lifetimeSeconds = 300): string {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', kid: this.keyId };
    const payload = {
      iss: 'https://api.botframework.com',
      aud: appId,
      serviceurl: serviceUrl,
      nbf: now - 600,
      iat: now - 600,
      exp: now + lifetimeSeconds,
    };
    const signed = `${base64url(header)}.${base64url(payload)}`;
    const signature = createSign('RSA-SHA256').update(signed).sign(key).toString('base64url');
    return `${signed}.${signature}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
