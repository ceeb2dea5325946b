// Small shared plumbing for the loopback servers: listening on an ephemeral 127.0.0.1 port,
// recording every request, and writing JSON/XML answers.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the server saw it; tests assert on these. */
export interface RecordedRequest {
  readonly method: string;
  /** Path with query string, e.g. `/repos/o/r/issues/1/comments?per_page=100`. */
  readonly path: string;
  readonly pathname: string;
  readonly query: URLSearchParams;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  /** `body` decoded as UTF-8 (convenient for JSON/XML bodies). */
  readonly text: string;
}

export type Handler = (req: RecordedRequest, res: http.ServerResponse) => void | Promise<void>;

export interface Listening {
  readonly url: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Starts a server whose handler sees fully-read requests; every request is recorded first. */
export async function listen(handler: Handler): Promise<Listening> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname + url.search,
        pathname: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
        text: body.toString('utf8'),
      };
      requests.push(recorded);
      try {
        await handler(recorded, res);
      } catch (error) {
        // A harness bug must surface as a loud 500 carrying the reason, never as a hang.
        if (!res.headersSent) sendJson(res, 500, { message: String(error) });
        else res.end();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: http.OutgoingHttpHeaders = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendEmpty(
  res: http.ServerResponse,
  status: number,
  headers: http.OutgoingHttpHeaders = {},
): void {
  res.writeHead(status, { 'content-length': 0, ...headers });
  res.end();
}

/** Matches `/a/{x}/b` style templates; returns the captured params or null. */
export function matchPath(template: string, pathname: string): Record<string, string> | null {
  const names: string[] = [];
  const pattern = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  const match = new RegExp(`^${pattern}$`).exec(pathname);
  if (!match) return null;
  const params: Record<string, string> = {};
  names.forEach((name, i) => {
    params[name] = decodeURIComponent(match[i + 1] ?? '');
  });
  return params;
}

/** An Azure Storage error reply, as the blob SDKs parse it. */
export function azureError(
  res: http.ServerResponse,
  status: number,
  code: string,
  message: string,
): void {
  const xml = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  res.writeHead(status, {
    'content-type': 'application/xml',
    'x-ms-error-code': code,
    'content-length': Buffer.byteLength(xml),
  });
  res.end(xml);
}

/** A value of a twirp JSON body as a string (`''` when absent). */
export function str(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined ? '' : String(value);
}

export function twirpError(
  res: http.ServerResponse,
  status: number,
  code: string,
  msg: string,
): void {
  sendJson(res, status, { code, msg });
}

/**
 * Routes a twirp JSON call (`POST <prefix><Method>` with a bearer token) to its handler, or answers
 * the twirp error itself and returns undefined.
 */
export function twirpRoute<H>(
  req: RecordedRequest,
  res: http.ServerResponse,
  prefix: string,
  handlers: Readonly<Record<string, H>>,
): { handler: H; body: Record<string, unknown> } | undefined {
  if (req.method !== 'POST' || !req.pathname.startsWith(prefix)) {
    twirpError(res, 404, 'bad_route', `no route for ${req.method} ${req.pathname}`);
    return undefined;
  }
  if (!/^Bearer .+/.test(String(req.headers.authorization ?? ''))) {
    twirpError(res, 401, 'unauthenticated', 'missing bearer token');
    return undefined;
  }
  const name = req.pathname.slice(prefix.length);
  const handler = handlers[name];
  if (!handler) {
    twirpError(res, 404, 'bad_route', `unknown method ${name}`);
    return undefined;
  }
  return { handler, body: JSON.parse(req.text || '{}') as Record<string, unknown> };
}
