// Named errors of the generate stage.

export class GenerateCommandError extends Error {
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** The command's last output lines (stdout and stderr interleaved), at most 30. */
  readonly lastLines: readonly string[];
  constructor(exitCode: number | null, signal: string | null, lastLines: readonly string[]) {
    const how = exitCode !== null ? `exited with code ${exitCode}` : `was killed by ${signal}`;
    super(`generate-command ${how}; its last ${lastLines.length} lines:\n${lastLines.join('\n')}`);
    this.name = 'GenerateCommandError';
    this.exitCode = exitCode;
    this.signal = signal;
    this.lastLines = lastLines;
  }
}

export class GenerateCancelledError extends Error {
  constructor() {
    super('generate-command was cancelled; its process group was terminated');
    this.name = 'GenerateCancelledError';
  }
}

/** The command outlived `generate-timeout-minutes`; its process group was stopped. */
export class GenerateTimeoutError extends Error {
  readonly timeoutMs: number;
  /** The command's last output lines, at most 30. */
  readonly lastLines: readonly string[];
  constructor(timeoutMs: number, lastLines: readonly string[]) {
    const minutes = Number((timeoutMs / 60_000).toPrecision(6));
    super(
      `generate-command ran longer than ${minutes} minutes (generate-timeout-minutes) and was ` +
        `stopped; its last ${lastLines.length} lines:\n${lastLines.join('\n')}`,
    );
    this.name = 'GenerateTimeoutError';
    this.timeoutMs = timeoutMs;
    this.lastLines = lastLines;
  }
}
