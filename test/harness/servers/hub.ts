// A loopback Hugging Face hub-style file server, plus builders for DreamBench++-layout data made at
// test time. Like the hub, every revision is a commit: a branch or tag moves when a file under it is
// published again (`publish`), and the commit it pointed at before stays downloadable.
//
// Routes:
//   GET /api/datasets/<owner>/<name>/revision/<rev>     -> 200 `{ id, sha, siblings, … }` (the
//        commit `rev` resolves to; `rev` percent-encoded, so `refs%2Fpr%2F1`), 404
//        `RevisionNotFound` for an unknown revision, 401 as below.
//   GET /datasets/<owner>/<name>/resolve/<rev>/<file>  -> 302 to /cdn/<n> (as the hub does for LFS
//        files); `rev` is a branch, tag or commit. 404 for an unknown repo/revision/file, 401 when a
//        token is configured and the request's `Authorization: Bearer …` differs.
//   GET /cdn/<n>                                       -> 200 with the bytes.
//   GET <any other path in `raw`>                      -> 200 with the bytes (e.g. a GitHub archive).
import { createHash } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
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
  /** Publishes `bytes` as `<owner>/<name>@<rev>/<file>`: a new commit, to which `rev` moves. */
  publish(key: string, bytes: Uint8Array): void;
  /** The commit `<owner>/<name>@<rev>` points at now. */
  commitOf(repoAtRev: string): string | undefined;
  close(): Promise<void>;
}

const COMMIT = /^[0-9a-f]{40}$/;

/** Repositories as commits (snapshots of files) and refs pointing at them. */
class Revisions {
  readonly #commits = new Map<string, ReadonlyMap<string, Uint8Array>>(); // `repo@sha`
  readonly #refs = new Map<string, string>(); // `repo@ref` -> sha

  publish(key: string, bytes: Uint8Array): void {
    // The file is the last path segment, so a revision may hold slashes (`refs/pr/1`).
    const m = /^([^/]+\/[^/@]+)@(.+)\/([^/@]+)$/.exec(key);
    if (!m) throw new Error(`hub file key ${key} is not <owner>/<name>@<rev>/<file>`);
    const [, repo, rev, file] = m as unknown as [string, string, string, string];
    const files = new Map(this.filesAt(repo, rev) ?? []);
    files.set(file, bytes);
    const hash = createHash('sha1').update(`${repo}\0${rev}\0`);
    for (const [name, data] of [...files].sort(([a], [b]) => (a < b ? -1 : 1)))
      hash.update(`${name}\0`).update(data);
    const sha = COMMIT.test(rev) ? rev : hash.digest('hex');
    this.#commits.set(`${repo}@${sha}`, files);
    if (!COMMIT.test(rev)) this.#refs.set(`${repo}@${rev}`, sha);
  }

  /** A branch, tag or commit of `repo` as its commit sha. */
  commitOf(repo: string, rev: string): string | undefined {
    const ref = this.#refs.get(`${repo}@${rev}`);
    if (ref) return ref;
    return this.#commits.has(`${repo}@${rev}`) ? rev : undefined;
  }

  filesAt(repo: string, rev: string): ReadonlyMap<string, Uint8Array> | undefined {
    const sha = this.commitOf(repo, rev);
    return sha === undefined ? undefined : this.#commits.get(`${repo}@${sha}`);
  }
}

export async function startHubServer(options: HubOptions): Promise<HubServer> {
  const requests: RecordedRequest[] = [];
  const cdn: Uint8Array[] = [];
  const revisions = new Revisions();
  for (const [key, bytes] of Object.entries(options.files ?? {})) revisions.publish(key, bytes);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({
      method: req.method ?? '',
      path: url.pathname,
      authorization: req.headers.authorization,
    });
    const send = sender(res);
    const api = /^\/api\/datasets\/([^/]+\/[^/]+)\/revision\/([^/]+)$/.exec(url.pathname);
    const resolve = /^\/datasets\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (api || resolve) {
      if (options.token !== undefined && req.headers.authorization !== `Bearer ${options.token}`) {
        return sendError(send, 401, 'Unauthorized', 'Invalid credentials in Authorization header');
      }
    }
    if (api) {
      const [, repo, rev] = api.map((p) => decodeURIComponent(p)) as [string, string, string];
      const sha = revisions.commitOf(repo, rev);
      if (sha === undefined)
        return sendError(send, 404, 'RevisionNotFound', `Invalid rev id: ${rev}`);
      const siblings = [...revisions.filesAt(repo, rev)!.keys()].map((rfilename) => ({
        rfilename,
      }));
      return send(200, JSON.stringify({ _id: repo, id: repo, sha, private: false, siblings }), {
        'content-type': 'application/json',
      });
    }
    if (resolve) {
      const [, repo, rev, file] = resolve.map((p) => decodeURIComponent(p)) as [
        string,
        string,
        string,
        string,
      ];
      const bytes = revisions.filesAt(repo, rev)?.get(file);
      if (!bytes) {
        return sendError(
          send,
          404,
          'RevisionNotFound',
          `Revision Not Found for url: ${url.pathname}`,
        );
      }
      cdn.push(bytes);
      // Absolute, like the hub's CDN redirects (the http client refuses a relative Location).
      return send(302, '', {
        location: `http://${req.headers.host}/cdn/${cdn.length - 1}`,
        'x-repo-commit': revisions.commitOf(repo, rev)!,
      });
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
    publish: (key, bytes) => revisions.publish(key, bytes),
    commitOf: (repoAtRev) => {
      const at = repoAtRev.indexOf('@');
      return revisions.commitOf(repoAtRev.slice(0, at), repoAtRev.slice(at + 1));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type Send = (status: number, body: Uint8Array | string, headers?: Record<string, string>) => void;

function sender(res: ServerResponse): Send {
  return (status, body, headers = {}) => {
    res.writeHead(status, { 'content-length': String(Buffer.byteLength(body)), ...headers });
    res.end(body);
  };
}

/** The hub's JSON error body with its `x-error-code` header. */
function sendError(send: Send, status: number, code: string, message: string): void {
  send(status, JSON.stringify({ error: message }), {
    'content-type': 'application/json',
    'x-error-code': code,
  });
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
