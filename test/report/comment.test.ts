import { describe, expect, it } from 'vitest';
import { commentMarker, GITHUB_COMMENT_LIMIT } from '../../src/constants.ts';
import { renderComment, renderSummary } from '../../src/report/index.ts';
import { shortId } from '../../src/report/sample-changes.ts';
import type { ReportInput } from '../../src/report/model.ts';
import type { SampleFailure } from '../../src/types.ts';
import { reportInput, tableAfter } from './fixtures.ts';

const MAIN_HEADER = '| | baseline | PR | delta |';
const CHANGES_HEADER = '| CP (0-4) | PF (0-4) | sample |';

function compared(input: ReportInput) {
  if (input.comparison.kind !== 'compared') throw new Error('fixture is not compared');
  return input.comparison.comparison;
}

const minus = (s: string) => s.replace(/-/g, '\u2212');

describe('renderComment: headline and marker', () => {
  const regression = reportInput({ shift: { cp: -0.6, pf: 0 } });
  const improvement = reportInput({ shift: { cp: 0.6, pf: 0 } });
  const pass = reportInput({ shift: { cp: 0, pf: 0 } });

  it('fixtures cover the three comparison verdicts', () => {
    expect(compared(regression).verdict).toBe('regression');
    expect(compared(improvement).verdict).toBe('improvement');
    expect(compared(pass).verdict).toBe('pass');
  });

  it.each([
    ['regression', regression, '## ❌ Regression in concept preservation'],
    ['improvement', improvement, '## 🎉 Improvement in concept preservation'],
    ['pass', pass, '## ✅ No significant change'],
    ['incompatible', reportInput({ kind: 'incompatible' }), '## ⚠️ Baseline not comparable'],
    ['none', reportInput({ kind: 'none' }), '## ℹ️ No baseline yet'],
    ['baseline mode', reportInput({ kind: 'none', mode: 'baseline' }), '## 📌 Baseline published'],
  ])('%s: marker on the first line, then the verdict', (_name, input, headline) => {
    const lines = renderComment(input).split('\n');
    expect(lines[0]).toBe(commentMarker('default'));
    expect(lines[1]).toBe(headline);
  });

  it('names only the regressed metric, and says when the gate is off', () => {
    const text = renderComment(regression);
    expect(text.split('\n')[1]).toBe('## ❌ Regression in concept preservation');
    const ungated = renderComment({
      ...regression,
      gate: { ...regression.gate, failOnRegression: false },
    });
    expect(ungated.split('\n')[1]).toContain('not gating');
  });

  it('names both metrics when both regressed', () => {
    const both = reportInput({ shift: { cp: -0.6, pf: 0 }, seed: 11 });
    expect(compared(both).pf.verdict).toBe('regression');
    expect(renderComment(both).split('\n')[1]).toBe(
      '## ❌ Regression in concept preservation and prompt following',
    );
  });

  it('uses the comment id in the marker', () => {
    expect(
      renderComment({ ...pass, commentId: 'sdxl-lora' }).startsWith(commentMarker('sdxl-lora')),
    ).toBe(true);
  });
});

describe('renderComment: compared numbers', () => {
  const input = reportInput({ shift: { cp: -0.6, pf: 0 }, failEvery: 10 });
  const c = compared(input);
  const text = renderComment(input);
  const rows = tableAfter(text, MAIN_HEADER);

  it('shows baseline, PR, signed delta, CI, Holm p and verdict for CP and PF', () => {
    expect(rows[0]).toEqual(['', 'baseline', 'PR', 'delta', '95% CI', 'p (Holm)', 'verdict']);
    const cp = rows[2]!;
    expect(cp[1]).toBe(c.cp.base.toFixed(3));
    expect(cp[2]).toBe(c.cp.pr.toFixed(3));
    expect(cp[3]).toBe(minus(c.cp.delta.toFixed(3)));
    expect(cp[3]).toMatch(/^\u22120\.\d{3}$/);
    // The test's own interval (each end a one-sided 97.5% bound here: nothing else significant).
    expect(cp[4]).toBe(minus(`[${c.cp.ci[0].toFixed(3)}, ${c.cp.ci[1].toFixed(3)}]`));
    expect(c.cp.ci[1]).toBeLessThan(0);
    const p = c.cp.pAdjusted.regression;
    expect(cp[5]).toBe(p < 0.001 ? '<0.001' : p.toFixed(3));
    expect(cp[6]).toBe('❌ regression');
    // PF did not change in the fixture: its row says so, with its own interval around 0, whose
    // upper end Holm's second step set (CP's drop was significant), marked †.
    expect(c.pf.verdict).toBe('no significant change');
    expect(rows[3]![6]).toBe('✅ no significant change');
    expect(c.pf.upper.confidence).toBeCloseTo(0.95, 12);
    expect(rows[3]![4]).toBe(minus(`[${c.pf.ci[0].toFixed(3)}, ${c.pf.ci[1].toFixed(3)}†]`));
    expect(c.pf.ci[0] < 0 && c.pf.ci[1] > 0).toBe(true);
  });

  it('names CP·PF the summary product, not gated', () => {
    expect(rows[4]![0]).toBe('**CP·PF** summary product');
    expect(rows[4]![5]).toBe('—');
    expect(rows[4]![6]).toBe('not gated');
    expect(rows[4]![3]).toBe(minus(c.cpPf.delta.toFixed(3)));
    // The full report's method note calls it the same, and nothing calls it diagnostic.
    const summary = renderSummary(input);
    expect(summary).toContain('CP·PF, the summary product, is reported, not gated.');
    expect(`${text}${summary}`).not.toMatch(/diagnostic|for reference/i);
  });

  it('says how many samples are paired and what a no-change could have missed', () => {
    const p = c.pairing;
    expect(p.baseOnly).toBe(15);
    expect(text).toContain(
      `${p.paired} of 150 samples paired across ${p.pairedConcepts} reference images; 15 only on one side`,
    );
    expect(text).toContain(`±${c.cp.mde.toFixed(3)} in CP and ±${c.pf.mde.toFixed(3)} in PF`);
  });

  it('puts breakdowns in collapsed blocks with counts', () => {
    expect(text).toContain('<details><summary>Per category');
    const cat = tableAfter(text, '| category |');
    expect(cat.map((r) => r[0])).toEqual(['category', ':-', 'animal', 'human', 'object', 'style']);
    const animal = c.byCategory.animal;
    expect(cat[2]![1]).toBe(`${animal.samples} (${animal.concepts} img)`);
    const cls = tableAfter(text, '| prompt class |');
    expect(cls.slice(2).map((r) => r[0])).toEqual([
      'photorealistic',
      'style transfer',
      'imaginative',
    ]);
  });

  it('lists the 10 largest per-sample changes, CP and PF first, then a short id', () => {
    const [header, , ...changes] = tableAfter(text, CHANGES_HEADER);
    expect(header).toEqual(['CP (0-4)', 'PF (0-4)', 'sample', 'group']);
    expect(changes).toHaveLength(10);
    const first = c.sampleDeltas[0]!;
    expect(changes[0]![0]).toContain(`${first.cp.base} → ${first.cp.pr}`);
    expect(changes[0]![1]).toContain(`${first.pf.base} → ${first.pf.pr}`);
    expect(changes[0]![2]).toBe(shortId(first.id).replace(/_/g, '\\_'));
    expect(changes[0]![3]).toBe(`${first.category} · ${first.promptClass.replace(/_/g, ' ')}`);
    // The full id and the prompt are in the sample's block below the table, not in a cell.
    expect(text).toContain(`<details><summary>${first.id} · CP`);
    expect(changes.flat().join(' ')).not.toContain('on a beach');
    expect(text).toContain('**Prompt:** a photo of the subject of');
  });

  it('reports judge, cost, tokens and cache hits, and links run, artifact and baseline', () => {
    expect(text).toContain('cost: $1.23');
    expect(text).toContain(
      'Judgments: 120 of 300 from the cache, the other 180 asked of the judge in 300 calls (retries included)',
    );
    expect(text).toContain('1,234,567 prompt (400,000 cached)');
    expect(text).toContain('290 expected, 10 sampled');
    expect(text).toContain('[Workflow run](https://github.com/o/r/actions/runs/99)');
    expect(text).toContain(
      '[results artifact](https://github.com/o/r/actions/runs/99/artifacts/7)',
    );
    expect(text).toContain('[baseline run 4242](https://github.com/o/r/actions/runs/4242)');
  });
});

describe('the judge line on calls and the cache', () => {
  it('counts only calls when the cache is off (no hits, no misses)', () => {
    const input = reportInput();
    const off = { ...input, judge: { ...input.judge, cacheHits: 0, cacheMisses: 0, calls: 42 } };
    const text = renderComment(off);
    expect(text).toContain('Judge calls: 42;');
    expect(text).not.toContain('from the cache');
  });
});

describe('shortId', () => {
  it('drops the live_subject_ prefix and cuts a long subject, keeping the prompt index', () => {
    expect(shortId('object_03_teapot-p4')).toBe('object_03_teapot-p4');
    expect(shortId('live_subject_animal_00_kitten-p8')).toBe('animal_00_kitten-p8');
    const long = shortId('live_subject_human_12_young_woman_with_round_glasses-p7');
    expect(long).toBe('human_12_young_woman_wit…-p7');
    expect(Array.from(long)).toHaveLength(28);
  });
});

describe('renderComment: without a comparable baseline', () => {
  it('none: the reason and absolute numbers with intervals, no deltas', () => {
    const input = reportInput({ kind: 'none' });
    const text = renderComment(input);
    expect(text).toContain('No baseline to compare with: no successful baseline run on main.');
    const rows = tableAfter(text, '| | this run |');
    const o = input.absolute.aggregate.overall;
    const ci = input.absolute.intervals.overall.cp!;
    expect(rows[2]).toEqual([
      '**CP** concept preservation',
      o.cp!.toFixed(3),
      `[${ci[0].toFixed(3)}, ${ci[1].toFixed(3)}]`,
      '150 (50 images)',
    ]);
    expect(text).not.toContain('| delta |');
    expect(text).not.toContain('Largest per-sample changes');
  });

  it('incompatible: which fields differ, baseline vs this run', () => {
    const text = renderComment(reportInput({ kind: 'incompatible' }));
    const diff = tableAfter(text, '| field |');
    expect(diff.slice(2)).toEqual([
      [
        'judge-model',
        'gpt-4o-2024-05-13',
        'gpt-4o-2024-08-06',
        'judge side: the baseline can be judged again',
      ],
      ['image-size', '1024', '512', 'judge side: the baseline can be judged again'],
    ]);
    expect(text).toContain('| | this run |');
    expect(text).not.toContain('| delta |');
  });
});

describe('renderComment: history chart', () => {
  const point = (i: number, cp: number | null) => ({
    runId: i,
    sha: `${i}`.repeat(7),
    createdAt: '',
    cp,
    pf: 0.8,
  });
  it('appears only with at least 2 complete baselines', () => {
    expect(renderComment(reportInput({ history: [] }))).not.toContain('```mermaid');
    expect(renderComment(reportInput({ history: [point(1, 0.6)] }))).not.toContain('```mermaid');
    expect(renderComment(reportInput({ history: [point(1, 0.6), point(2, null)] }))).not.toContain(
      '```mermaid',
    );
    const text = renderComment(
      reportInput({ history: [point(1, 0.6), point(2, 0.65), point(3, null)] }),
    );
    expect(text).toContain('```mermaid\n---\nconfig:');
    expect(text).toContain('x-axis ["1111111", "2222222"]');
    expect(text).toContain('line [0.600, 0.650]');
    expect(text).toContain('line [0.800, 0.800]');
  });

  it('gives the lines strong colours, in series order, and a legend naming each by colour', () => {
    const text = renderComment(reportInput({ history: [point(1, 0.6), point(2, 0.65)] }));
    const chart = text.slice(text.indexOf('### Baseline history'));
    expect(chart).toContain('plotColorPalette: "#0969da, #bc4c00"');
    expect(chart).toContain('🟦 **CP concept preservation** · 🟧 **PF prompt following**');
    // CP is drawn first, so it takes the first colour of the palette, the blue of its swatch.
    expect(chart.indexOf('line [0.600, 0.650]')).toBeLessThan(chart.indexOf('line [0.800, 0.800]'));
    expect(chart).not.toContain('no legend');
  });
});

describe('renderComment: escaping text from outside', () => {
  const nasty = '<script>alert(1)</script> | @octocat </details> --> #42 `x`';
  const input = reportInput({
    shift: { cp: -0.6, pf: 0 },
    failEvery: 10,
    prompt: () => nasty,
    reply: () => `${nasty}\n\nScore: 1`,
    reason: () => nasty,
  });
  const text = renderComment(input);

  it('lets no tag, mention, reference or comment close through', () => {
    expect(text).not.toMatch(/<script/i);
    expect(text).not.toMatch(/@octocat/);
    expect(text).not.toMatch(/#42/);
    expect(text.split('\n').slice(1).join('\n')).not.toContain('-->');
    expect(text).toContain('&lt;script&gt;');
  });

  it('keeps <details> balanced', () => {
    const opened = text.match(/<details/g)!.length;
    expect(opened).toBeGreaterThan(10);
    expect(text.match(/<\/details>/g)!.length).toBe(opened);
  });

  it('keeps every table row at its header width', () => {
    const lines = text.split('\n');
    let width = 0;
    for (const line of lines) {
      if (!line.startsWith('|')) {
        width = 0;
        continue;
      }
      const n = line.split(/(?<!\\)\|/).length;
      if (width === 0) width = n;
      expect(n, line).toBe(width);
    }
  });
});

describe('renderComment: failures', () => {
  it('groups by kind with counts and lists every id under its kind', () => {
    const input = reportInput({ failEvery: 10 });
    const text = renderComment(input);
    const overview = tableAfter(text, '| stage | kind |').slice(2);
    expect(overview.map((r) => [r[0], r[1], r[2]])).toEqual([
      ['generate', 'missing', '5'],
      ['judge', 'refused', '5'],
      ['judge', 'unparseable', '5'],
    ]);
    const refused = input.failures
      .filter((x) => x.kind === 'refused')
      .map((x) => x.id)
      .sort();
    const block = text.slice(text.indexOf('**refused** (judge, 5)'));
    for (const id of refused) expect(block).toContain(`- ${id.replace(/_/g, '\\_')}: `);
  });
});

describe('renderComment: size', () => {
  const big = 'The generated image shows a teapot. '.repeat(140); // ~5 KB
  const input = reportInput({
    concepts: 150,
    promptsPerConcept: 9,
    shift: { cp: -0.3, pf: 0 },
    failEvery: 9,
    prompt: () => big,
    reply: () => big,
  });
  const failures: SampleFailure[] = Array.from({ length: 10_000 }, (_, i) => ({
    id: `object_${String(i).padStart(5, '0')}-p${i % 9}`,
    stage: i % 2 ? 'judge' : 'generate',
    kind: `kind-${i % 40}`,
    reason: `reason ${i}: ${'the image file could not be decoded '.repeat(30)}`,
  }));
  const pathological: ReportInput = { ...input, failures };

  it('stays under the GitHub limit, keeps the main table and says what was trimmed', () => {
    const text = renderComment(pathological);
    expect(text.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(text.startsWith(commentMarker('default'))).toBe(true);
    expect(tableAfter(text, MAIN_HEADER)).toHaveLength(5);
    expect(text).toMatch(/Trimmed to fit GitHub's comment limit: left out [^\n]*listed failures/);
    expect(text).toContain('job summary');
    expect(text).toContain('[Workflow run]');
    expect(text.match(/<details/g)!.length).toBe(text.match(/<\/details>/g)!.length);
  });

  it('trims per-sample details before failures, and failures before breakdowns', () => {
    const text = renderComment(pathological, 30_000);
    expect(text.length).toBeLessThanOrEqual(30_000);
    expect(text).toContain('<details><summary>Per category');
    expect(text).toMatch(/left out \d+ of 10 judge-reply blocks/);
    const small = renderComment(pathological, 6_000);
    expect(small.length).toBeLessThanOrEqual(6_000);
    expect(tableAfter(small, MAIN_HEADER)).toHaveLength(5);
  });

  it('is not trimmed when it fits', () => {
    const text = renderComment(input);
    expect(text).not.toContain('Trimmed to fit');
    expect(text.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    // Replies are cut to 600 characters in the comment.
    expect(text).not.toContain(big.trim().slice(0, 700));
  });
});

describe('notes that explain what a reader would otherwise misread', () => {
  it('says that expected scores can differ from the quoted Score: N', () => {
    const text = renderComment(reportInput({ shift: { cp: -1, pf: 0 } }));
    expect(text).toContain("expected values over 0-4 from the judge's log-probabilities");
  });

  it('explains an empty interval cell under a sparse breakdown', () => {
    const text = renderComment(reportInput({ concepts: 4, shift: { cp: -1, pf: 0 } }));
    expect(text).toContain('too few reference images (clusters) to resample an interval');
  });

  it('lists at most two changes of one reference image', () => {
    const text = renderComment(reportInput({ shift: { cp: -2, pf: 0 }, promptsPerConcept: 9 }));
    const rows = tableAfter(text, CHANGES_HEADER).slice(2);
    const concepts = rows.map((r) => r[2]!.replace(/\\/g, '').replace(/-p\d+$/, ''));
    for (const c of new Set(concepts))
      expect(concepts.filter((x) => x === c).length).toBeLessThanOrEqual(2);
    expect(rows.length).toBeGreaterThan(2);
  });
});

describe('the judge section', () => {
  it('counts refusals by category, and says when the cost limit stopped the judge', () => {
    const input = reportInput();
    expect(renderComment(input)).toContain('Refusals by category: human 3.');
    expect(renderComment(input)).not.toContain('stopped the judge early');
    const capped: ReportInput = {
      ...input,
      judge: { ...input.judge, budgetStopped: true, maxCostUsd: 2 },
    };
    expect(renderComment(capped)).toMatch(
      /The cost limit.*\(max-cost-usd\) stopped the judge early/,
    );
  });
});

describe('renderComment: the time that bounded the judge', () => {
  it('names the input that ran out: the time budget in realtime, the batch wait in batch mode', () => {
    const input = reportInput();
    const stopped = (judgingMode: 'realtime' | 'batch') =>
      renderComment({ ...input, judge: { ...input.judge, timeBudgetStops: 2, judgingMode } });
    expect(stopped('realtime')).toContain(
      'The judge time budget (judge-time-budget-minutes) ran out: 2 judgments not made',
    );
    const batch = stopped('batch');
    expect(batch).toContain(
      'The time for realtime calls (judge-batch-wait-minutes and 15 minutes after it) ran out: 2 judgments not made',
    );
    expect(batch).not.toContain('judge-time-budget-minutes');
  });
});
