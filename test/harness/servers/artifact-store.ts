// The artifact store shared by the results service (which uploads) and the GitHub REST server
// (which lists and redirects downloads), plus the Azure block-blob endpoint both expose.
// Artifacts uploaded by one run are thereby downloadable by a later run through REST + findBy.
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import { zipSync } from 'fflate';
import { type RecordedRequest, azureError, sendEmpty } from './http-util.ts';

export interface StoredArtifact {
  readonly id: number;
  readonly name: string;
  /** `owner/repo` the artifact belongs to. */
  readonly repo: string;
  /** Numeric workflow run id as the REST API shows it. */
  readonly runId: number;
  /** The ids the results service knows the run and job by (from the runtime token). */
  readonly backendRunId: string;
  readonly backendJobId: string;
  readonly blobKey: string;
  readonly mimeType: string;
  createdAt: Date;
  expiresAt: Date | undefined;
  expired: boolean;
  finalized: boolean;
  size: number;
  digest: string | undefined;
}

interface Blob {
  readonly sig: string;
  committed: Buffer | undefined;
  contentType: string | undefined;
  readonly staged: Map<string, Buffer>;
}

export interface SeedArtifact {
  name: string;
  repo: string;
  runId: number;
  /** Files to zip into the artifact (path inside the zip → content). */
  files?: Record<string, string | Uint8Array>;
  /** Or the raw zip bytes. */
  zip?: Uint8Array;
  createdAt?: Date;
  expiresAt?: Date;
  expired?: boolean;
}

export class ArtifactStore {
  readonly artifacts: StoredArtifact[] = [];
  private readonly blobs = new Map<string, Blob>();
  private nextId = 1000;
  readonly now: () => Date;

  constructor(options: { now?: () => Date } = {}) {
    this.now = options.now ?? (() => new Date());
  }

  /** Creates (unfinalized) artifact metadata and its empty blob; returns the artifact. */
  create(fields: {
    name: string;
    repo: string;
    backendRunId: string;
    backendJobId: string;
    mimeType?: string;
    expiresAt?: Date | undefined;
  }): StoredArtifact {
    const id = this.nextId++;
    const blobKey = `${id}/${encodeURIComponent(fields.name)}.zip`;
    this.blobs.set(blobKey, {
      sig: randomBytes(8).toString('hex'),
      committed: undefined,
      contentType: undefined,
      staged: new Map(),
    });
    const runId = Number(fields.backendRunId);
    const artifact: StoredArtifact = {
      id,
      name: fields.name,
      repo: fields.repo,
      runId: Number.isFinite(runId) ? runId : 0,
      backendRunId: fields.backendRunId,
      backendJobId: fields.backendJobId,
      blobKey,
      mimeType: fields.mimeType ?? 'application/zip',
      createdAt: this.now(),
      expiresAt: fields.expiresAt,
      expired: false,
      finalized: false,
      size: 0,
      digest: undefined,
    };
    this.artifacts.push(artifact);
    return artifact;
  }

  /** Seeds a finalized artifact (as if an earlier run had uploaded it). */
  seed(seed: SeedArtifact): StoredArtifact {
    const artifact = this.create({
      name: seed.name,
      repo: seed.repo,
      backendRunId: String(seed.runId),
      backendJobId: 'seeded-job',
      expiresAt: seed.expiresAt,
    });
    const files = Object.fromEntries(
      Object.entries(seed.files ?? {}).map(([k, v]) => [
        k,
        typeof v === 'string' ? Buffer.from(v) : v,
      ]),
    );
    const zip = Buffer.from(seed.zip ?? zipSync(files));
    const blob = this.blobs.get(artifact.blobKey)!;
    blob.committed = zip;
    blob.contentType = 'application/zip';
    artifact.size = zip.length;
    artifact.finalized = true;
    if (seed.createdAt) artifact.createdAt = seed.createdAt;
    artifact.expired = seed.expired ?? false;
    return artifact;
  }

  /** The visible (finalized) artifacts; `expired` also turns true once `expiresAt` has passed. */
  finalized(): StoredArtifact[] {
    const now = this.now().getTime();
    for (const a of this.artifacts) {
      if (a.expiresAt && a.expiresAt.getTime() <= now) a.expired = true;
    }
    return this.artifacts.filter((a) => a.finalized);
  }

  blobContent(artifact: StoredArtifact): Buffer | undefined {
    return this.blobs.get(artifact.blobKey)?.committed;
  }

  /** Replaces the stored bytes (metadata and digest untouched): simulates corruption. */
  replaceContent(artifact: StoredArtifact, content: Uint8Array): void {
    this.blobs.get(artifact.blobKey)!.committed = Buffer.from(content);
  }

  /** A SAS-style URL on `baseUrl` (the server that will serve `/blob/...`). */
  signedUrl(baseUrl: string, artifact: StoredArtifact, ttlMs = 3_600_000): string {
    const blob = this.blobs.get(artifact.blobKey)!;
    const se = new Date(this.now().getTime() + ttlMs).toISOString();
    return `${baseUrl}/blob/devstoreaccount1/actions-results/${artifact.blobKey}?sv=2024-01-01&se=${encodeURIComponent(se)}&sig=${blob.sig}`;
  }

  /**
   * Serves the Azure block-blob subset that `@azure/storage-blob` uploads use (Put Block,
   * Put Block List, Put Blob) and plain GET downloads. Returns false when the path is not a blob.
   */
  handleBlob(req: RecordedRequest, res: http.ServerResponse): boolean {
    const prefix = '/blob/devstoreaccount1/actions-results/';
    if (!req.pathname.startsWith(prefix)) return false;
    this.serveBlob(req.pathname.slice(prefix.length), req, res);
    return true;
  }

  private serveBlob(key: string, req: RecordedRequest, res: http.ServerResponse): void {
    const blob = this.blobs.get(decodeURIComponent(key)) ?? this.blobs.get(key);
    if (!blob) return azureError(res, 404, 'BlobNotFound', `No blob ${key}`);
    if (req.query.get('sig') !== blob.sig) {
      return azureError(res, 403, 'AuthenticationFailed', 'Signature mismatch');
    }
    const comp = req.query.get('comp');
    if (req.method === 'PUT' && comp === 'block') return this.putBlock(blob, req, res);
    if (req.method === 'PUT' && comp === 'blocklist') return this.putBlockList(blob, req, res);
    if (req.method === 'PUT' && comp === null) {
      blob.committed = req.body;
      blob.contentType = header(req, 'x-ms-blob-content-type') ?? header(req, 'content-type');
      return blobCreated(res);
    }
    if (req.method === 'GET' && comp === null) {
      if (!blob.committed) return azureError(res, 404, 'BlobNotFound', 'Not committed');
      res.writeHead(200, {
        'content-type': blob.contentType ?? 'application/zip',
        'content-length': blob.committed.length,
      });
      res.end(blob.committed);
      return;
    }
    azureError(res, 400, 'UnsupportedHttpVerb', `${req.method} comp=${comp}`);
  }

  private putBlock(blob: Blob, req: RecordedRequest, res: http.ServerResponse): void {
    const blockId = req.query.get('blockid');
    if (!blockId) return azureError(res, 400, 'InvalidQueryParameterValue', 'blockid');
    blob.staged.set(blockId, req.body);
    blobCreated(res);
  }

  private putBlockList(blob: Blob, req: RecordedRequest, res: http.ServerResponse): void {
    const ids = [...req.text.matchAll(/<(Latest|Uncommitted|Committed)>([^<]*)<\/\1>/g)].map(
      (m) => m[2] ?? '',
    );
    const parts: Buffer[] = [];
    for (const id of ids) {
      const part = blob.staged.get(id);
      if (!part) return azureError(res, 400, 'InvalidBlockList', `Unknown block ${id}`);
      parts.push(part);
    }
    blob.committed = Buffer.concat(parts);
    blob.contentType = header(req, 'x-ms-blob-content-type');
    blob.staged.clear();
    blobCreated(res);
  }
}

function header(req: RecordedRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function blobCreated(res: http.ServerResponse): void {
  sendEmpty(res, 201, {
    etag: `"0x${randomBytes(8).toString('hex').toUpperCase()}"`,
    'last-modified': new Date().toUTCString(),
    'x-ms-request-server-encrypted': 'true',
    'x-ms-version': '2025-01-05',
  });
}
