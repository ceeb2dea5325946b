/** A results.json (ours or a baseline's) that cannot be used, and why. */
export class ResultsFormatError extends Error {
  override readonly name = 'ResultsFormatError';
  readonly source: string;
  constructor(source: string, problem: string) {
    super(`${source} is not a usable results file: ${problem}`);
    this.source = source;
  }
}

/** Shard results that do not add up to one run. */
export class ShardMergeError extends Error {
  override readonly name = 'ShardMergeError';
  constructor(message: string) {
    super(message);
  }
}
