// The few runner facilities the pipeline uses, behind an interface main.ts implements with
// @actions/core (and the demo and tests can implement in memory).

export interface Log {
  info(message: string): void;
  warning(message: string): void;
  notice(message: string): void;
  /** Runs `fn` inside a collapsed log group. */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
}

export interface RunIO {
  readonly log: Log;
  /** The wall clock, read only at the edges (results' createdAt, artifact expiry checks). */
  now(): Date;
  readonly env: NodeJS.ProcessEnv;
  /** Aborted when the job is cancelled (the runner sends SIGINT, then SIGTERM). */
  readonly signal?: AbortSignal;
  /** Appends markdown to the job summary (a no-op off a runner). */
  writeSummary(markdown: string): Promise<void>;
}
