// The statistics stage: pure functions from scored samples to absolute numbers, paired comparisons
// and verdicts. No I/O, no clock, no unseeded randomness.
export { aggregate, type Aggregate, type GroupStats } from './aggregate.ts';
export { absoluteReport, type AbsoluteReport, type Interval } from './absolute-report.ts';
export type { Breakdown } from './breakdown.ts';
export {
  compare,
  gate,
  type CompareOptions,
  type Comparison,
  type DeltaEstimate,
  type Gate,
  type GatedMetric,
  type GateOptions,
  type GroupDelta,
  type Tolerance,
} from './compare.ts';
export type { ConfidenceBound, OneSided } from './gate.ts';
export { InsufficientPairsError, InvalidOptionError, InvalidSampleError } from './errors.ts';
export {
  blockingDifferences,
  fingerprintDiff,
  FINGERPRINT_FIELDS,
  OBSERVED_FIELDS,
  SAMPLE_FIELDS,
  type DifferenceClass,
  type FingerprintDifference,
} from './fingerprint.ts';
export type { CountedFailures, MetricPairing, Pairing } from './pairing.ts';
export {
  comparisonRecord,
  GATE_METHOD,
  type ComparisonRecord,
  type GatedMetricRecord,
} from './record.ts';
export { largestChanges, type SampleDelta, type ScoreChange } from './sample-deltas.ts';
export type { StatOptions } from './validate.ts';
export type { ComparisonVerdict, MetricVerdict } from './verdict.ts';
