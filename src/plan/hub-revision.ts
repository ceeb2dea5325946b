// A hub revision (a branch or tag moves; a commit does not) resolved to its commit with one cheap
// request, `GET <endpoint>/api/datasets/<repo>/revision/<rev>`, whose JSON carries the commit as
// `sha` (the route huggingface_hub's dataset_info uses). Downloads then name the commit, so what
// is cached is keyed by what it is.
import { HttpClient } from '@actions/http-client';
import { DatasetAuthError, DatasetDownloadError, DatasetRevisionNotFoundError } from './errors.ts';

export const COMMIT_SHA = /^[0-9a-f]{40}$/;

export interface HubRevisionRequest {
  readonly endpoint: string;
  readonly repo: string;
  readonly revision: string;
  readonly token?: string;
}

export async function resolveHubRevision(request: HubRevisionRequest): Promise<string> {
  if (COMMIT_SHA.test(request.revision)) return request.revision;
  const url = `${request.endpoint}/api/datasets/${request.repo}/revision/${encodeURIComponent(request.revision)}`;
  const client = new HttpClient('dreambench-action', undefined, {
    allowRetries: true,
    maxRetries: 3,
  });
  let status: number | undefined;
  let body: string;
  try {
    const response = await client.get(url, {
      accept: 'application/json',
      ...(request.token ? { authorization: `Bearer ${request.token}` } : {}),
    });
    status = response.message.statusCode;
    body = await response.readBody();
  } catch (error) {
    throw new DatasetDownloadError(url, error);
  } finally {
    client.dispose();
  }
  if (status === 404)
    throw new DatasetRevisionNotFoundError(request.revision, request.endpoint, request.repo);
  if (status === 401 || status === 403)
    throw new DatasetAuthError(status, request.endpoint, request.token !== undefined);
  if (status !== 200) throw new DatasetDownloadError(url, `HTTP ${status}`);
  const sha = parseSha(body);
  if (sha === undefined)
    throw new DatasetDownloadError(url, 'the answer names no 40-hex commit ("sha")');
  return sha;
}

function parseSha(body: string): string | undefined {
  try {
    const sha = (JSON.parse(body) as { sha?: unknown } | null)?.sha;
    return typeof sha === 'string' && COMMIT_SHA.test(sha) ? sha : undefined;
  } catch {
    return undefined;
  }
}
