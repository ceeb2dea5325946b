// The paper's table layout: CP by category, PF by prompt class, CP·PF, each mean / 4.
import { describe, expect, it } from 'vitest';
import { aggregate } from '../../src/compare/index.ts';
import { paperTable } from '../../src/report/paper-table.ts';
import type { ScoredSample } from '../../src/types.ts';
import { tableAfter } from './fixtures.ts';

const s = (
  id: string,
  category: ScoredSample['category'],
  promptClass: ScoredSample['promptClass'],
  cp: number,
  pf: number,
): ScoredSample => ({ id, concept: id.split('-')[0]!, category, promptClass, cp, pf });

describe('paperTable', () => {
  it('shows each group as mean / 4 against hand-computed values, — for an empty group', () => {
    const samples = [
      s('a0-p0', 'animal', 'photorealistic', 4, 2),
      s('a0-p4', 'animal', 'style_transfer', 2, 4),
      s('o0-p7', 'object', 'imaginative', 1, 3),
      s('h0-p1', 'human', 'photorealistic', 3, 3),
    ];
    const text = paperTable([{ label: 'this run', aggregate: aggregate(samples, 0) }]);
    // CP: animal (4+2)/2/4, human 3/4, object 1/4, style none, all 10/4/4.
    const [cpHeader, , cpRow] = tableAfter(text, '| | n |');
    expect(cpHeader).toEqual(['', 'n', 'animal', 'human', 'object', 'style', '**CP**']);
    expect(cpRow).toEqual(['this run', '4', '0.750', '0.750', '0.250', '—', '0.625']);
    // PF: photorealistic (2+3)/2/4, style transfer 4/4, imaginative 3/4, all 12/4/4; CP·PF.
    const [pfHeader, , pfRow] = tableAfter(text, '| | photorealistic |');
    expect(pfHeader).toEqual([
      '',
      'photorealistic',
      'style transfer',
      'imaginative',
      '**PF**',
      '**CP·PF**',
    ]);
    expect(pfRow).toEqual([
      'this run',
      '0.625',
      '1.000',
      '0.750',
      '0.750',
      (0.625 * 0.75).toFixed(3),
    ]);
  });
});
