// Named errors of the statistics stage. Each carries the offending input so callers can report it.

/** Quotes a value for a message; numbers as JS prints them, so NaN stays NaN (JSON says null). */
function quote(value: unknown): string {
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
}

/** A scored sample that the statistics cannot use (bad score, duplicate id, inconsistent concept). */
export class InvalidSampleError extends Error {
  readonly side: string;
  readonly id: string;
  readonly field: string;
  readonly value: unknown;
  constructor(side: string, id: string, field: string, value: unknown, allowed: string) {
    super(`${side} sample ${JSON.stringify(id)}: ${field} is ${quote(value)}; allowed: ${allowed}`);
    this.name = 'InvalidSampleError';
    this.side = side;
    this.id = id;
    this.field = field;
    this.value = value;
  }
}

/** An option of aggregate/compare outside its allowed range. */
export class InvalidOptionError extends Error {
  readonly option: string;
  readonly value: unknown;
  constructor(option: string, value: unknown, allowed: string) {
    super(`option ${option} is ${quote(value)}; allowed: ${allowed}`);
    this.name = 'InvalidOptionError';
    this.option = option;
    this.value = value;
  }
}

/**
 * Too little overlap between baseline and PR to compare: a cluster-robust test needs, for each gated
 * metric, at least two reference images with that metric's outcome on both sides. Callers fall back
 * to the absolute-only report.
 */
export class InsufficientPairsError extends Error {
  readonly pairedSamples: number;
  readonly pairedConcepts: number;
  /** The metric short of pairs, when the shortage is one metric's. */
  readonly metric: string | undefined;
  constructor(pairedSamples: number, pairedConcepts: number, metric?: string) {
    const what = metric === undefined ? '' : ` a ${metric.toUpperCase()} outcome`;
    super(
      `only ${pairedSamples} sample(s) from ${pairedConcepts} reference image(s) have${what} on both ` +
        `baseline and PR; a paired comparison needs samples from at least 2 reference images`,
    );
    this.name = 'InsufficientPairsError';
    this.pairedSamples = pairedSamples;
    this.pairedConcepts = pairedConcepts;
    this.metric = metric;
  }
}
