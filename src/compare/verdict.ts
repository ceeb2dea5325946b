// Verdict rules: a metric regresses only when the change is both significant after Holm's
// correction and larger than the tolerance; the run regresses when any gated metric does.

export type MetricVerdict = 'regression' | 'improvement' | 'no significant change';
export type ComparisonVerdict = 'pass' | 'regression' | 'improvement';

export function metricVerdict(
  delta: number,
  pAdjusted: number,
  alpha: number,
  tolerance: number,
): MetricVerdict {
  const significant = pAdjusted < alpha;
  if (significant && delta < -tolerance) return 'regression';
  if (significant && delta > tolerance) return 'improvement';
  return 'no significant change';
}

export function overallVerdict(gated: readonly MetricVerdict[]): ComparisonVerdict {
  if (gated.includes('regression')) return 'regression';
  if (gated.includes('improvement')) return 'improvement';
  return 'pass';
}
