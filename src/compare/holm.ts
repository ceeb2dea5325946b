// Holm's step-down adjustment: controls the family-wise error rate of the gate, which tests CP and
// PF at once, without assuming the two tests are independent (they are not: same images).

/** Holm-adjusted p-values, in the order of the input. NaN inputs stay NaN and count as tests. */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues
    .map((p, i) => ({ p: Number.isNaN(p) ? Infinity : p, i }))
    .sort((a, b) => a.p - b.p || a.i - b.i);
  const adjusted = new Array<number>(m).fill(NaN);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    if (p === Infinity) return;
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}
