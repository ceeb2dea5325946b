// Verdict rules: a metric regresses only when its drop is significant (one-sided, Holm over the
// gated metrics) and the measured drop is larger than the tolerance; the run regresses when any
// gated metric does. A significant change no larger than the tolerance is "within tolerance".

export type MetricVerdict =
  'regression' | 'improvement' | 'within tolerance' | 'no significant change';
export type ComparisonVerdict = 'pass' | 'regression' | 'improvement';

/** Which way the test found a significant change, if any. */
export type Significance = 'drop' | 'rise' | null;

export function metricVerdict(
  delta: number,
  significant: Significance,
  tolerance: number,
): MetricVerdict {
  if (significant === 'drop') return delta < -tolerance ? 'regression' : 'within tolerance';
  if (significant === 'rise') return delta > tolerance ? 'improvement' : 'within tolerance';
  return 'no significant change';
}

export function overallVerdict(gated: readonly MetricVerdict[]): ComparisonVerdict {
  if (gated.includes('regression')) return 'regression';
  if (gated.includes('improvement')) return 'improvement';
  return 'pass';
}
