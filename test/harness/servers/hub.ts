// A loopback Hugging Face hub-style file server, plus builders for DreamBench++-layout data made at
// test time.
//
// Routes:
//   GET /datasets/<owner>/<name>/resolve/<rev>/<file>  -> 302 to /cdn/<n> (as the hub does for LFS
//        files), 404 for an unknown repo/revision/file, 401 when a token is configured and the
//        request's `Authorization: Bearer …` differs.
//   GET /cdn/<n>                                       -> 200 with the bytes.
//   GET <any other path in `raw`>                      -> 200 with the bytes (e.g. a GitHub archive).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { zipSync } from 'fflate';
import sharp from 'sharp';
import type { Category } from '../../../src/types.ts';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
}

export interface HubOptions {
  /** `<owner>/<name>@<rev>/<file>` -> bytes. */
  readonly files?: Record<string, Uint8Array>;
  /** Exact request path -> bytes, served without redirect. */
  readonly raw?: Record<string, Uint8Array>;
  /** When set, resolve requests must carry `Authorization: Bearer <token>`. */
  readonly token?: string;
}

export interface HubServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startHubServer(options: HubOptions): Promise<HubServer> {
  const requests: RecordedRequest[] = [];
  const cdn: Uint8Array[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({
      method: req.method ?? '',
      path: url.pathname,
      authorization: req.headers.authorization,
    });
    const send = (
      status: number,
      body: Uint8Array | string,
      headers: Record<string, string> = {},
    ) => {
      res.writeHead(status, { 'content-length': String(Buffer.byteLength(body)), ...headers });
      res.end(body);
    };
    const resolve = /^\/datasets\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (resolve) {
      const [, repo, rev, file] = resolve.map((p) => decodeURIComponent(p));
      if (options.token !== undefined && req.headers.authorization !== `Bearer ${options.token}`) {
        return send(401, JSON.stringify({ error: 'Invalid credentials in Authorization header' }), {
          'content-type': 'application/json',
          'x-error-code': 'Unauthorized',
        });
      }
      const bytes = options.files?.[`${repo}@${rev}/${file}`];
      if (!bytes) {
        return send(404, JSON.stringify({ error: `Revision Not Found for url: ${url.pathname}` }), {
          'content-type': 'application/json',
          'x-error-code': 'RevisionNotFound',
        });
      }
      cdn.push(bytes);
      // Absolute, like the hub's CDN redirects (the http client refuses a relative Location).
      return send(302, '', { location: `http://${req.headers.host}/cdn/${cdn.length - 1}` });
    }
    const cdnHit = /^\/cdn\/(\d+)$/.exec(url.pathname);
    const body = cdnHit ? cdn[Number(cdnHit[1])] : options.raw?.[url.pathname];
    if (body) return send(200, body, { 'content-type': 'application/octet-stream' });
    send(404, 'Not Found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const FOLDERS: Record<Category, string> = {
  animal: 'live_subject/animal',
  human: 'live_subject/human',
  object: 'object',
  style: 'style',
};
const SUBJECTS: Record<Category, string> = {
  animal: 'Kitten',
  human: 'Young Woman',
  object: 'Red Teapot',
  style: 'Ink Wash',
};

/** A small solid-colour JPEG; the colour varies with `n` so images differ byte-wise. */
export async function makeJpeg(n: number, size = 16): Promise<Buffer> {
  const background = { r: (n * 37) % 256, g: (n * 91) % 256, b: (n * 53) % 256 };
  return sharp({ create: { width: size, height: size, channels: 3, background } })
    .jpeg({ quality: 80 })
    .toBuffer();
}

export interface LayoutSpec {
  /** Concepts per category (a number applies to all four). */
  readonly perCategory: number | Partial<Record<Category, number>>;
  /** Folder prefix inside the tree, `data/` like the hub's archive, or `` for a bare folder. */
  readonly prefix?: string;
}

/** The files of a DreamBench++-layout tree: relative path -> bytes. */
export async function buildLayoutFiles(spec: LayoutSpec): Promise<Record<string, Uint8Array>> {
  const prefix = spec.prefix ?? 'data/';
  const files: Record<string, Uint8Array> = {};
  let n = 0;
  for (const category of Object.keys(FOLDERS) as Category[]) {
    const count =
      typeof spec.perCategory === 'number' ? spec.perCategory : (spec.perCategory[category] ?? 0);
    for (let i = 0; i < count; i++) {
      const nn = String(i).padStart(2, '0');
      const subject = `${SUBJECTS[category]} ${i}`;
      const prompts = Array.from({ length: 9 }, (_, k) => `${subject} prompt ${k}`);
      files[`${prefix}images/${FOLDERS[category]}/${nn}.jpg`] = await makeJpeg(n++);
      files[`${prefix}captions/${FOLDERS[category]}/${nn}.txt`] = Buffer.from(
        `${subject}\n${prompts.join('\n')}\n`,
      );
    }
  }
  return files;
}

export function zipFiles(files: Record<string, Uint8Array>): Buffer {
  return Buffer.from(zipSync(files, { level: 1 }));
}

/** A DreamBench++ `data.zip` with `perCategory` concepts per category. */
export async function buildDataZip(spec: LayoutSpec): Promise<Buffer> {
  return zipFiles(await buildLayoutFiles(spec));
}

export async function writeTree(root: string, files: Record<string, Uint8Array>): Promise<void> {
  for (const [rel, bytes] of Object.entries(files)) {
    const file = path.join(root, rel);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, bytes);
  }
}
