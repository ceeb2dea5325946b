// Loopback GitHub REST server: the routes the action uses (issue comments, repository, pull
// request, workflow runs, artifacts, the authenticated user) with GitHub's pagination
// (`per_page`/`page` + `Link`), its 401/403/404 bodies, and artifact downloads answered with a 302
// to a blob URL on this server; and of GraphQL (`POST /graphql`) the one query the action sends,
// `{ viewer { login } }`. Tokens are installation tokens of GitHub Actions (GITHUB_TOKEN: comments
// by `github-actions[bot]`, `GET /user` refused) unless registered as a personal access token (the
// user) or as another GitHub App's installation token (`<slug>[bot]`, `GET /user` refused too).
import type http from 'node:http';
import { ArtifactStore, type StoredArtifact } from './artifact-store.ts';
import { listen, matchPath, sendEmpty, sendJson, type RecordedRequest } from './http-util.ts';

export interface RepoSeed {
  defaultBranch?: string;
  fork?: boolean;
}

export interface CommentSeed {
  body: string;
  user?: { login: string; type: 'User' | 'Bot' };
}

export interface StoredComment {
  readonly id: number;
  readonly repo: string;
  readonly issueNumber: number;
  body: string;
  readonly user: { login: string; type: 'User' | 'Bot' };
  readonly createdAt: Date;
  updatedAt: Date;
}

export interface RunSeed {
  id: number;
  repo?: string;
  workflowId?: number;
  /** e.g. `.github/workflows/bench.yml`; the file name also addresses the workflow. */
  path?: string;
  headBranch: string;
  headSha?: string;
  event: string;
  status?: string;
  conclusion?: string | null;
  /** `owner/repo` of the head; a fork's PR run has the fork here. Default: `repo`. */
  headRepository?: string;
  createdAt?: Date;
  runNumber?: number;
}

export type StoredRun = Required<Omit<RunSeed, 'conclusion'>> & { conclusion: string | null };

export interface PullSeed {
  number: number;
  baseRef: string;
  headRef: string;
  headRepository?: string;
  /** The head commit; default 40 x "a" (the harness's pull_request events use the same). */
  headSha?: string;
}

/** Route names usable with `forbid()` to answer 403 "Resource not accessible by integration". */
export type RouteName =
  | 'getRepo'
  | 'getPull'
  | 'listComments'
  | 'getComment'
  | 'createComment'
  | 'updateComment'
  | 'listWorkflowRuns'
  | 'listRepoRuns'
  | 'getRun'
  | 'listRepoArtifacts'
  | 'listRunArtifacts'
  | 'getArtifact'
  | 'downloadArtifact'
  | 'getAuthenticated'
  | 'graphql';

export interface GitHubServerOptions {
  store?: ArtifactStore;
  /** Repositories that exist from the start (more appear when seeded). */
  repos?: string[];
  /** When set, only `token <t>` / `Bearer <t>` with this value is accepted. */
  token?: string;
  /** Personal access tokens (token → user login): they act as that user, not as the bot. */
  personalTokens?: Record<string, string>;
  /** Installation tokens of other GitHub Apps (token → bot login such as `my-app[bot]`). */
  appTokens?: Record<string, string>;
  now?: () => Date;
}

/** Who GITHUB_TOKEN (an installation token) writes as. */
export const ACTIONS_BOT = { login: 'github-actions[bot]', type: 'Bot' } as const;

export const DEFAULT_REPO = 'octo-org/octo-repo';
export const DEFAULT_WORKFLOW = { id: 4242, path: '.github/workflows/dreambench.yml' };

export async function startGitHub(options: GitHubServerOptions = {}) {
  const state = new GitHubState(options);
  const server = await listen((req, res) => handle(state, server.url, req, res));
  return Object.assign(server, { state, store: state.store });
}

export type GitHubServer = Awaited<ReturnType<typeof startGitHub>>;

export class GitHubState {
  readonly store: ArtifactStore;
  readonly repos = new Map<string, Required<RepoSeed>>();
  readonly comments: StoredComment[] = [];
  readonly runs: StoredRun[] = [];
  readonly pulls = new Map<string, Required<PullSeed>>();
  readonly forbidden = new Set<RouteName>();
  readonly token: string | undefined;
  readonly personalTokens = new Map<string, string>();
  readonly appTokens = new Map<string, string>();
  readonly now: () => Date;
  private nextCommentId = 9000;

  constructor(options: GitHubServerOptions) {
    this.now = options.now ?? (() => new Date());
    this.store = options.store ?? new ArtifactStore({ now: this.now });
    this.token = options.token;
    for (const [token, login] of Object.entries(options.personalTokens ?? {})) {
      this.addPersonalToken(token, login);
    }
    for (const [token, login] of Object.entries(options.appTokens ?? {})) {
      this.appTokens.set(token, login);
    }
    for (const repo of options.repos ?? [DEFAULT_REPO]) this.addRepo(repo);
  }

  /** Requests with `token` then act as the user `login` (comments, `GET /user`). */
  addPersonalToken(token: string, login: string): void {
    this.personalTokens.set(token, login);
  }

  /** Requests with `token` then act as another GitHub App's bot, `login` (`my-app[bot]`). */
  addAppToken(token: string, login: string): void {
    this.appTokens.set(token, login);
  }

  /** The identity a token writes as. */
  identityOf(token: string): { login: string; type: 'User' | 'Bot' } {
    const login = this.personalTokens.get(token);
    if (login) return { login, type: 'User' };
    const app = this.appTokens.get(token);
    return app ? { login: app, type: 'Bot' } : { ...ACTIONS_BOT };
  }

  addRepo(fullName: string, seed: RepoSeed = {}): void {
    this.repos.set(fullName.toLowerCase(), {
      defaultBranch: seed.defaultBranch ?? 'main',
      fork: seed.fork ?? false,
    });
  }

  private ensureRepo(fullName: string): void {
    if (!this.repos.has(fullName.toLowerCase())) this.addRepo(fullName);
  }

  addComments(repo: string, issueNumber: number, seeds: CommentSeed[]): StoredComment[] {
    this.ensureRepo(repo);
    return seeds.map((seed) => this.addComment(repo, issueNumber, seed));
  }

  addComment(repo: string, issueNumber: number, seed: CommentSeed): StoredComment {
    this.ensureRepo(repo);
    const comment: StoredComment = {
      id: this.nextCommentId++,
      repo,
      issueNumber,
      body: seed.body,
      user: seed.user ?? { ...ACTIONS_BOT },
      createdAt: this.now(),
      updatedAt: this.now(),
    };
    this.comments.push(comment);
    return comment;
  }

  addRun(seed: RunSeed): StoredRun {
    const repo = seed.repo ?? DEFAULT_REPO;
    this.ensureRepo(repo);
    const run: StoredRun = {
      id: seed.id,
      repo,
      workflowId: seed.workflowId ?? DEFAULT_WORKFLOW.id,
      path: seed.path ?? DEFAULT_WORKFLOW.path,
      headBranch: seed.headBranch,
      headSha: seed.headSha ?? seed.id.toString(16).padStart(40, '0'),
      event: seed.event,
      status: seed.status ?? 'completed',
      conclusion: seed.conclusion === undefined ? 'success' : seed.conclusion,
      headRepository: seed.headRepository ?? repo,
      createdAt: seed.createdAt ?? this.now(),
      runNumber: seed.runNumber ?? this.runs.length + 1,
    };
    this.runs.push(run);
    return run;
  }

  addPull(repo: string, seed: PullSeed): void {
    this.ensureRepo(repo);
    this.pulls.set(`${repo.toLowerCase()}#${seed.number}`, {
      headRepository: repo,
      headSha: 'a'.repeat(40),
      ...seed,
    });
  }

  /** Subsequent calls of this route answer 403 "Resource not accessible by integration". */
  forbid(route: RouteName): void {
    this.forbidden.add(route);
  }

  commentsOf(repo: string, issueNumber: number): StoredComment[] {
    return this.comments.filter(
      (c) => c.repo.toLowerCase() === repo.toLowerCase() && c.issueNumber === issueNumber,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Routing

interface Ctx {
  state: GitHubState;
  baseUrl: string;
  req: RecordedRequest;
  res: http.ServerResponse;
  repo: string;
  params: Record<string, string>;
  /** The request's token. */
  token: string;
}

type Route = [method: string, template: string, name: RouteName, handler: (ctx: Ctx) => void];

const PERMISSIONS: Record<RouteName, string> = {
  getRepo: 'metadata=read',
  getPull: 'pull_requests=read',
  listComments: 'issues=read; pull_requests=read',
  getComment: 'issues=read; pull_requests=read',
  createComment: 'issues=write; pull_requests=write',
  updateComment: 'issues=write; pull_requests=write',
  listWorkflowRuns: 'actions=read',
  listRepoRuns: 'actions=read',
  getRun: 'actions=read',
  listRepoArtifacts: 'actions=read',
  listRunArtifacts: 'actions=read',
  getArtifact: 'actions=read',
  downloadArtifact: 'actions=read',
  getAuthenticated: '',
  graphql: '',
};

function handle(
  state: GitHubState,
  baseUrl: string,
  req: RecordedRequest,
  res: http.ServerResponse,
) {
  if (state.store.handleBlob(req, res)) return;
  const auth = String(req.headers.authorization ?? '');
  const token = /^(?:token|bearer)\s+(.+)$/i.exec(auth)?.[1];
  if (!token) return notFoundOr(res, 401, 'Requires authentication');
  if (state.token !== undefined && token !== state.token)
    return notFoundOr(res, 401, 'Bad credentials');
  for (const [method, template, name, handler] of ROUTES) {
    if (req.method !== method) continue;
    const params = matchPath(template, req.pathname);
    if (!params) continue;
    const repo = params.owner === undefined ? '' : `${params.owner}/${params.repo}`;
    if (repo && !state.repos.has(repo.toLowerCase())) return notFoundOr(res, 404, 'Not Found');
    if (state.forbidden.has(name)) {
      return forbidden(res, 'https://docs.github.com/rest', PERMISSIONS[name]);
    }
    return handler({ state, baseUrl, req, res, repo, params, token });
  }
  notFoundOr(res, 404, 'Not Found');
}

/** GitHub's 403 for an installation token lacking a permission (or barred from the route). */
function forbidden(res: http.ServerResponse, documentationUrl: string, permissions = ''): void {
  sendJson(
    res,
    403,
    {
      message: 'Resource not accessible by integration',
      documentation_url: documentationUrl,
      status: '403',
    },
    permissions ? { 'x-accepted-github-permissions': permissions } : {},
  );
}

function notFoundOr(res: http.ServerResponse, status: number, message: string): void {
  sendJson(res, status, {
    message,
    documentation_url: 'https://docs.github.com/rest',
    status: String(status),
  });
}

const R = '/repos/{owner}/{repo}';
const ROUTES: Route[] = [
  ['GET', '/user', 'getAuthenticated', getAuthenticatedUser],
  ['POST', '/graphql', 'graphql', graphql],
  ['GET', R, 'getRepo', getRepo],
  ['GET', `${R}/pulls/{number}`, 'getPull', getPull],
  ['GET', `${R}/issues/comments/{id}`, 'getComment', getComment],
  ['PATCH', `${R}/issues/comments/{id}`, 'updateComment', updateComment],
  ['GET', `${R}/issues/{number}/comments`, 'listComments', listComments],
  ['POST', `${R}/issues/{number}/comments`, 'createComment', createComment],
  ['GET', `${R}/actions/workflows/{workflow}/runs`, 'listWorkflowRuns', listWorkflowRuns],
  ['GET', `${R}/actions/runs`, 'listRepoRuns', listRepoRuns],
  ['GET', `${R}/actions/runs/{run_id}`, 'getRun', getRun],
  ['GET', `${R}/actions/runs/{run_id}/artifacts`, 'listRunArtifacts', listRunArtifacts],
  ['GET', `${R}/actions/artifacts`, 'listRepoArtifacts', listRepoArtifacts],
  ['GET', `${R}/actions/artifacts/{id}`, 'getArtifact', getArtifact],
  ['GET', `${R}/actions/artifacts/{id}/{format}`, 'downloadArtifact', downloadArtifact],
];

// ---------------------------------------------------------------------------------------------
// Pagination: GitHub's `per_page` (default 30, max 100) and `page`, with a `Link` header.

function paginate<T>(ctx: Ctx, items: T[]): { page: T[]; headers: Record<string, string> } {
  const perPage = Math.min(100, Math.max(1, Number(ctx.req.query.get('per_page') ?? 30) || 30));
  const pageNo = Math.max(1, Number(ctx.req.query.get('page') ?? 1) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (page: number, rel: string) => {
    const query = new URLSearchParams(ctx.req.query);
    query.set('per_page', String(perPage));
    query.set('page', String(page));
    return `<${ctx.baseUrl}${ctx.req.pathname}?${query}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (pageNo > 1) links.push(link(pageNo - 1, 'prev'), link(1, 'first'));
  if (pageNo < last) links.push(link(pageNo + 1, 'next'), link(last, 'last'));
  const page = items.slice((pageNo - 1) * perPage, pageNo * perPage);
  return { page, headers: links.length ? { link: links.join(', ') } : {} };
}

// ---------------------------------------------------------------------------------------------
// Shapes (the fields of GitHub's responses that clients read)

function repoShape(fullName: string, seed: Required<RepoSeed> | undefined) {
  const [owner = '', name = ''] = fullName.split('/');
  return {
    id: hashId(fullName),
    name,
    full_name: fullName,
    owner: { login: owner, type: 'Organization' },
    fork: seed?.fork ?? false,
    default_branch: seed?.defaultBranch ?? 'main',
    html_url: `https://github.com/${fullName}`,
  };
}

function commentShape(ctx: Ctx, c: StoredComment) {
  const kind = ctx.state.pulls.has(`${c.repo.toLowerCase()}#${c.issueNumber}`) ? 'pull' : 'issues';
  return {
    id: c.id,
    node_id: `IC_${c.id}`,
    url: `${ctx.baseUrl}/repos/${c.repo}/issues/comments/${c.id}`,
    html_url: `https://github.com/${c.repo}/${kind}/${c.issueNumber}#issuecomment-${c.id}`,
    issue_url: `${ctx.baseUrl}/repos/${c.repo}/issues/${c.issueNumber}`,
    body: c.body,
    user: { login: c.user.login, id: hashId(c.user.login), type: c.user.type },
    created_at: c.createdAt.toISOString(),
    updated_at: c.updatedAt.toISOString(),
    author_association: c.user.type === 'Bot' ? 'NONE' : 'MEMBER',
  };
}

function runShape(ctx: Ctx, run: StoredRun) {
  const head = ctx.state.repos.get(run.headRepository.toLowerCase());
  return {
    id: run.id,
    name: run.path.split('/').pop(),
    node_id: `WFR_${run.id}`,
    head_branch: run.headBranch,
    head_sha: run.headSha,
    path: run.path,
    run_number: run.runNumber,
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: run.workflowId,
    url: `${ctx.baseUrl}/repos/${run.repo}/actions/runs/${run.id}`,
    html_url: `https://github.com/${run.repo}/actions/runs/${run.id}`,
    created_at: run.createdAt.toISOString(),
    updated_at: run.createdAt.toISOString(),
    run_started_at: run.createdAt.toISOString(),
    repository: repoShape(run.repo, ctx.state.repos.get(run.repo.toLowerCase())),
    head_repository: repoShape(run.headRepository, {
      defaultBranch: head?.defaultBranch ?? 'main',
      fork: run.headRepository.toLowerCase() !== run.repo.toLowerCase(),
    }),
  };
}

function artifactShape(ctx: Ctx, a: StoredArtifact) {
  const run = ctx.state.runs.find((r) => r.id === a.runId);
  const api = `${ctx.baseUrl}/repos/${a.repo}/actions/artifacts/${a.id}`;
  return {
    id: a.id,
    node_id: `MDg6QXJ0aWZhY3Q${a.id}`,
    name: a.name,
    size_in_bytes: a.size,
    url: api,
    archive_download_url: `${api}/zip`,
    expired: a.expired,
    digest: a.digest ?? null,
    created_at: a.createdAt.toISOString(),
    updated_at: a.createdAt.toISOString(),
    expires_at: a.expiresAt?.toISOString() ?? null,
    workflow_run: {
      id: a.runId,
      repository_id: hashId(a.repo),
      head_repository_id: hashId(run?.headRepository ?? a.repo),
      head_branch: run?.headBranch ?? null,
      head_sha: run?.headSha ?? null,
    },
  };
}

function hashId(text: string): number {
  let h = 7;
  for (const ch of text.toLowerCase()) h = (h * 31 + ch.charCodeAt(0)) % 1_000_000_007;
  return h;
}

// ---------------------------------------------------------------------------------------------
// Handlers

/** A personal access token's user; an installation token (GITHUB_TOKEN, an App) is refused. */
function getAuthenticatedUser(ctx: Ctx): void {
  const login = ctx.state.personalTokens.get(ctx.token);
  if (!login)
    return forbidden(
      ctx.res,
      'https://docs.github.com/rest/users/users#get-the-authenticated-user',
    );
  sendJson(ctx.res, 200, {
    login,
    id: hashId(login),
    type: 'User',
    html_url: `https://github.com/${login}`,
  });
}

/**
 * GraphQL's `viewer` is whoever the token acts as, installation tokens included: a GitHub App's
 * token answers `<slug>[bot]` (GITHUB_TOKEN: `github-actions[bot]`). GitHub answers a query it
 * cannot run with 200 and `errors`.
 */
function graphql(ctx: Ctx): void {
  const query = (parseBody(ctx) as { query?: unknown } | null)?.query;
  if (
    typeof query === 'string' &&
    /^\s*(query\s*)?\{\s*viewer\s*\{\s*login\s*\}\s*\}\s*$/.test(query)
  ) {
    return sendJson(ctx.res, 200, {
      data: { viewer: { login: ctx.state.identityOf(ctx.token).login } },
    });
  }
  sendJson(ctx.res, 200, {
    errors: [{ message: 'the loopback server answers only `{ viewer { login } }`' }],
  });
}

function getRepo(ctx: Ctx): void {
  sendJson(ctx.res, 200, repoShape(ctx.repo, ctx.state.repos.get(ctx.repo.toLowerCase())));
}

function getPull(ctx: Ctx): void {
  const pull = ctx.state.pulls.get(`${ctx.repo.toLowerCase()}#${ctx.params.number}`);
  if (!pull) return notFoundOr(ctx.res, 404, 'Not Found');
  sendJson(ctx.res, 200, {
    number: pull.number,
    state: 'open',
    html_url: `https://github.com/${ctx.repo}/pull/${pull.number}`,
    base: {
      ref: pull.baseRef,
      repo: repoShape(ctx.repo, ctx.state.repos.get(ctx.repo.toLowerCase())),
    },
    head: {
      ref: pull.headRef,
      sha: pull.headSha,
      repo: repoShape(pull.headRepository, {
        defaultBranch: 'main',
        fork: pull.headRepository.toLowerCase() !== ctx.repo.toLowerCase(),
      }),
    },
  });
}

function findComment(ctx: Ctx): StoredComment | undefined {
  return ctx.state.comments.find(
    (c) => c.id === Number(ctx.params.id) && c.repo.toLowerCase() === ctx.repo.toLowerCase(),
  );
}

function getComment(ctx: Ctx): void {
  const comment = findComment(ctx);
  if (!comment) return notFoundOr(ctx.res, 404, 'Not Found');
  sendJson(ctx.res, 200, commentShape(ctx, comment));
}

function listComments(ctx: Ctx): void {
  const all = ctx.state.commentsOf(ctx.repo, Number(ctx.params.number));
  const { page, headers } = paginate(ctx, all);
  sendJson(
    ctx.res,
    200,
    page.map((c) => commentShape(ctx, c)),
    headers,
  );
}

function parseBody(ctx: Ctx): { body?: unknown } | null {
  try {
    return JSON.parse(ctx.req.text) as { body?: unknown };
  } catch {
    return null;
  }
}

function createComment(ctx: Ctx): void {
  const input = parseBody(ctx);
  if (typeof input?.body !== 'string') return validationFailed(ctx, 'body');
  const comment = ctx.state.addComment(ctx.repo, Number(ctx.params.number), {
    body: input.body,
    user: ctx.state.identityOf(ctx.token),
  });
  sendJson(ctx.res, 201, commentShape(ctx, comment), { location: commentShape(ctx, comment).url });
}

function updateComment(ctx: Ctx): void {
  const comment = findComment(ctx);
  if (!comment) return notFoundOr(ctx.res, 404, 'Not Found');
  const input = parseBody(ctx);
  if (typeof input?.body !== 'string') return validationFailed(ctx, 'body');
  comment.body = input.body;
  comment.updatedAt = ctx.state.now();
  sendJson(ctx.res, 200, commentShape(ctx, comment));
}

function validationFailed(ctx: Ctx, field: string): void {
  sendJson(ctx.res, 422, {
    message: 'Validation Failed',
    errors: [{ resource: 'IssueComment', code: 'missing_field', field }],
  });
}

/** Newest first, as GitHub lists runs; `branch`, `event`, `status` (status or conclusion). */
function filterRuns(ctx: Ctx, runs: StoredRun[]): StoredRun[] {
  const q = ctx.req.query;
  return runs
    .filter((r) => r.repo.toLowerCase() === ctx.repo.toLowerCase())
    .filter((r) => !q.get('branch') || r.headBranch === q.get('branch'))
    .filter((r) => !q.get('event') || r.event === q.get('event'))
    .filter(
      (r) => !q.get('status') || r.status === q.get('status') || r.conclusion === q.get('status'),
    )
    .filter((r) => !q.get('head_sha') || r.headSha === q.get('head_sha'))
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id);
}

function sendRuns(ctx: Ctx, runs: StoredRun[]): void {
  const { page, headers } = paginate(ctx, runs);
  sendJson(
    ctx.res,
    200,
    { total_count: runs.length, workflow_runs: page.map((r) => runShape(ctx, r)) },
    headers,
  );
}

function listWorkflowRuns(ctx: Ctx): void {
  const wf = ctx.params.workflow ?? '';
  const ofWorkflow = ctx.state.runs.filter((r) =>
    /^\d+$/.test(wf) ? r.workflowId === Number(wf) : r.path.split('/').pop() === wf,
  );
  if (ofWorkflow.length === 0) return notFoundOr(ctx.res, 404, 'Not Found');
  sendRuns(ctx, filterRuns(ctx, ofWorkflow));
}

function listRepoRuns(ctx: Ctx): void {
  sendRuns(ctx, filterRuns(ctx, ctx.state.runs));
}

function getRun(ctx: Ctx): void {
  const run = filterRuns(ctx, ctx.state.runs).find((r) => r.id === Number(ctx.params.run_id));
  if (!run) return notFoundOr(ctx.res, 404, 'Not Found');
  sendJson(ctx.res, 200, runShape(ctx, run));
}

/** Newest first, optional exact `name` filter. */
function repoArtifacts(ctx: Ctx): StoredArtifact[] {
  const name = ctx.req.query.get('name');
  return ctx.state.store
    .finalized()
    .filter((a) => a.repo.toLowerCase() === ctx.repo.toLowerCase())
    .filter((a) => !name || a.name === name)
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id);
}

function sendArtifacts(ctx: Ctx, artifacts: StoredArtifact[]): void {
  const { page, headers } = paginate(ctx, artifacts);
  sendJson(
    ctx.res,
    200,
    { total_count: artifacts.length, artifacts: page.map((a) => artifactShape(ctx, a)) },
    headers,
  );
}

function listRepoArtifacts(ctx: Ctx): void {
  sendArtifacts(ctx, repoArtifacts(ctx));
}

function listRunArtifacts(ctx: Ctx): void {
  const runId = Number(ctx.params.run_id);
  sendArtifacts(
    ctx,
    repoArtifacts(ctx).filter((a) => a.runId === runId),
  );
}

function getArtifact(ctx: Ctx): void {
  const artifact = repoArtifacts(ctx).find((a) => a.id === Number(ctx.params.id));
  if (!artifact) return notFoundOr(ctx.res, 404, 'Not Found');
  sendJson(ctx.res, 200, artifactShape(ctx, artifact));
}

function downloadArtifact(ctx: Ctx): void {
  const artifact = repoArtifacts(ctx).find((a) => a.id === Number(ctx.params.id));
  if (!artifact || ctx.params.format !== 'zip') return notFoundOr(ctx.res, 404, 'Not Found');
  if (artifact.expired) return notFoundOr(ctx.res, 410, 'Artifact has expired');
  sendEmpty(ctx.res, 302, { location: ctx.state.store.signedUrl(ctx.baseUrl, artifact, 60_000) });
}
