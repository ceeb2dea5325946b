// Loopback Actions results service: the twirp JSON API `@actions/artifact` v6 talks to
// (CreateArtifact, FinalizeArtifact, ListArtifacts, GetSignedArtifactURL, DeleteArtifact)
// plus the Azure blob endpoint its signed URLs point at.
import type http from 'node:http';
import { ArtifactStore, type StoredArtifact } from './artifact-store.ts';
import {
  listen,
  sendJson,
  str,
  twirpError,
  twirpRoute,
  type RecordedRequest,
} from './http-util.ts';

const TWIRP_PREFIX = '/twirp/github.actions.results.api.v1.ArtifactService/';

export interface ResultsServiceOptions {
  store?: ArtifactStore;
  /** `owner/repo` stamped on uploaded artifacts (the runner's GITHUB_REPOSITORY). */
  repository?: string;
}

export interface ResultsService {
  readonly url: string;
  readonly requests: RecordedRequest[];
  readonly store: ArtifactStore;
  readonly repository: string;
  close(): Promise<void>;
}

export async function startResultsService(
  options: ResultsServiceOptions = {},
): Promise<ResultsService> {
  const store = options.store ?? new ArtifactStore();
  const repository = options.repository ?? 'octo-org/octo-repo';
  let baseUrl = '';
  const server = await listen((req, res) => {
    if (store.handleBlob(req, res)) return;
    const call = twirpRoute(req, res, TWIRP_PREFIX, methods);
    call?.handler({ store, repository, baseUrl, body: call.body }, req, res);
  });
  baseUrl = server.url;
  return { ...server, store, repository };
}

interface Ctx {
  store: ArtifactStore;
  repository: string;
  baseUrl: string;
  body: Record<string, unknown>;
}

type Method = (ctx: Ctx, req: RecordedRequest, res: http.ServerResponse) => void;

const methods: Record<string, Method> = {
  CreateArtifact({ store, repository, baseUrl, body }, _req, res) {
    const name = str(body.name);
    if (!name) return twirpError(res, 400, 'invalid_argument', 'name is required');
    if (Number(body.version) !== 7) {
      return twirpError(
        res,
        400,
        'invalid_argument',
        `unsupported version ${String(body.version)}`,
      );
    }
    // Names are unique per workflow run, across its jobs and attempts, pending uploads included:
    // GitHub answers 409 (twirp already_exists) until the earlier artifact is deleted.
    const runId = str(body.workflow_run_backend_id);
    if (store.artifacts.some((a) => a.backendRunId === runId && a.name === name)) {
      return twirpError(
        res,
        409,
        'already_exists',
        'an artifact with this name already exists on the workflow run',
      );
    }
    const expiresAt = body.expires_at ? new Date(str(body.expires_at)) : undefined;
    const artifact = store.create({
      name,
      repo: repository,
      backendRunId: runId,
      backendJobId: str(body.workflow_job_run_backend_id),
      mimeType: str(body.mime_type) || 'application/zip',
      expiresAt,
    });
    sendJson(res, 200, { ok: true, signed_upload_url: store.signedUrl(baseUrl, artifact) });
  },

  FinalizeArtifact({ store, body }, _req, res) {
    const artifact = findOwn(store, body, (a) => !a.finalized);
    if (!artifact)
      return twirpError(res, 404, 'not_found', `no pending artifact ${str(body.name)}`);
    const content = store.blobContent(artifact);
    if (!content) return twirpError(res, 400, 'failed_precondition', 'blob was not uploaded');
    artifact.size = content.length;
    artifact.digest = body.hash ? str(body.hash) : undefined;
    artifact.finalized = true;
    sendJson(res, 200, { ok: true, artifact_id: String(artifact.id) });
  },

  ListArtifacts({ store, body }, _req, res) {
    const nameFilter = body.name_filter === undefined ? undefined : str(body.name_filter);
    const idFilter = body.id_filter === undefined ? undefined : Number(body.id_filter);
    const artifacts = store
      .finalized()
      .filter((a) => a.backendRunId === str(body.workflow_run_backend_id) && !a.expired)
      .filter((a) => nameFilter === undefined || a.name === nameFilter)
      .filter((a) => idFilter === undefined || a.id === idFilter)
      .map((a) => ({
        workflow_run_backend_id: a.backendRunId,
        workflow_job_run_backend_id: a.backendJobId,
        database_id: String(a.id),
        name: a.name,
        size: String(a.size),
        created_at: a.createdAt.toISOString(),
        ...(a.digest ? { digest: a.digest } : {}),
      }));
    sendJson(res, 200, { artifacts });
  },

  GetSignedArtifactURL({ store, baseUrl, body }, _req, res) {
    const artifact = store
      .finalized()
      .find(
        (a) => a.backendRunId === str(body.workflow_run_backend_id) && a.name === str(body.name),
      );
    if (!artifact) return twirpError(res, 404, 'not_found', `no artifact ${str(body.name)}`);
    sendJson(res, 200, { signed_url: store.signedUrl(baseUrl, artifact) });
  },

  DeleteArtifact({ store, body }, _req, res) {
    const artifact = findOwn(store, body, (a) => a.finalized);
    if (!artifact) return twirpError(res, 404, 'not_found', `no artifact ${str(body.name)}`);
    store.artifacts.splice(store.artifacts.indexOf(artifact), 1);
    sendJson(res, 200, { ok: true, artifact_id: String(artifact.id) });
  },
};

function findOwn(
  store: ArtifactStore,
  body: Record<string, unknown>,
  extra: (a: StoredArtifact) => boolean,
): StoredArtifact | undefined {
  return store.artifacts.findLast(
    (a) =>
      a.backendRunId === str(body.workflow_run_backend_id) &&
      a.backendJobId === str(body.workflow_job_run_backend_id) &&
      a.name === str(body.name) &&
      extra(a),
  );
}
