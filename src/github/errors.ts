// Errors of the GitHub edge. Each carries the data a caller needs to report it precisely.

/** GitHub refused a call for lack of a token permission (403 "Resource not accessible …"). */
export class GitHubPermissionError extends Error {
  override readonly name = 'GitHubPermissionError';
  /** What we tried, e.g. `create comment`. */
  readonly operation: string;
  /** `owner/repo`, with `#n` for a pull request. */
  readonly target: string;
  /** The workflow permission that grants it, e.g. `pull-requests: write`. */
  readonly permission: string;
  readonly status: number;
  /** GitHub's own message, quoted in ours. */
  readonly serverMessage: string;
  constructor(fields: {
    operation: string;
    target: string;
    permission: string;
    status: number;
    serverMessage: string;
  }) {
    super(
      `GitHub answered ${fields.status} ${JSON.stringify(fields.serverMessage)} to "${fields.operation}" ` +
        `on ${fields.target}: the github-token needs the "${fields.permission}" permission ` +
        `(add \`permissions:\` with \`${fields.permission}\` to the workflow or job; ` +
        `on pull requests from forks the GITHUB_TOKEN is read-only).`,
    );
    this.operation = fields.operation;
    this.target = fields.target;
    this.permission = fields.permission;
    this.status = fields.status;
    this.serverMessage = fields.serverMessage;
  }
}

/** A comment body over GitHub's limit; the report must shorten it, we never cut it blindly. */
export class CommentTooLongError extends Error {
  override readonly name = 'CommentTooLongError';
  readonly length: number;
  readonly limit: number;
  constructor(length: number, limit: number) {
    super(`PR comment body is ${length} characters; GitHub allows at most ${limit}`);
    this.length = length;
    this.limit = limit;
  }
}

/** The downloaded baseline artifact does not hash to the digest GitHub recorded at upload. */
export class BaselineDigestMismatchError extends Error {
  override readonly name = 'BaselineDigestMismatchError';
  readonly artifactId: number;
  readonly expected: string;
  constructor(artifactId: number, expected: string) {
    super(`Baseline artifact ${artifactId} does not match its recorded digest ${expected}`);
    this.artifactId = artifactId;
    this.expected = expected;
  }
}

/**
 * The baseline artifact could not be downloaded and extracted, after the artifact client's own
 * retries: the network, or bytes that are no zip. Not told apart (the client says neither), so the
 * message gives what to do for both; the run fails rather than pass a PR without a comparison.
 */
export class BaselineDownloadError extends Error {
  override readonly name = 'BaselineDownloadError';
  readonly artifactName: string;
  readonly artifactId: number;
  readonly runId: number;
  constructor(artifactName: string, artifactId: number, runId: number, cause: string) {
    super(
      `Could not download the baseline artifact "${artifactName}" (id ${artifactId}) of run ${runId}: ` +
        `${cause}. A network failure passes when the job is re-run; if it repeats, the artifact is ` +
        `damaged: delete it (the run's page, Artifacts) so that the newest earlier baseline is used`,
    );
    this.artifactName = artifactName;
    this.artifactId = artifactId;
    this.runId = runId;
  }
}

/**
 * The run already holds an artifact of this name: artifact names are unique per workflow run, so
 * two jobs of one run (a matrix) that share `artifact-name` collide, and GitHub answers 409.
 */
export class ArtifactNameTakenError extends Error {
  override readonly name = 'ArtifactNameTakenError';
  readonly artifactName: string;
  constructor(artifactName: string, cause: unknown) {
    super(
      `An artifact named ${JSON.stringify(artifactName)} already exists in this workflow run ` +
        `(GitHub answered 409 Conflict): another job of the run uploaded it. Artifact names are ` +
        `unique per run, so give each job of a matrix its own "artifact-name" (and "comment-id"), ` +
        'for example artifact-name: dreambench-${{ matrix.model }}',
      { cause },
    );
    this.artifactName = artifactName;
  }
}
