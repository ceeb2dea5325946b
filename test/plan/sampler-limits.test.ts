// What the sampler does when the inputs ask for more than the dataset holds: a category filter that
// selects nothing is an input error; a size past the available pairs takes all and says so.
import { describe, expect, it } from 'vitest';
import {
  availableSamples,
  CategoryFilterError,
  priorityOrder,
  sampleShortfallWarning,
  selectSample,
} from '../../src/plan/index.ts';
import { benchmarkWith } from './sample-fixtures.ts';

const animalsAndObjects = benchmarkWith({ animal: 2, human: 0, object: 1, style: 0 });

describe('category filter that selects nothing', () => {
  it('throws CategoryFilterError quoting the input and listing the categories present', () => {
    const error = (() => {
      try {
        selectSample(animalsAndObjects, { size: 10, seed: 1, categories: ['human'] });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(CategoryFilterError);
    expect((error as Error).message).toBe(
      'Input "categories" selects no concept of this dataset: "human"; it has animal, object',
    );
    expect((error as CategoryFilterError).present).toEqual(['animal', 'object']);
  });

  it('quotes every requested category, and is raised by priorityOrder and availableSamples too', () => {
    const categories = ['human', 'style'] as const;
    expect(() => selectSample(animalsAndObjects, { size: 'all', seed: 1, categories })).toThrow(
      '"human, style"',
    );
    expect(() => priorityOrder(animalsAndObjects, { seed: 1, categories })).toThrow(
      CategoryFilterError,
    );
    expect(() => availableSamples(animalsAndObjects, categories)).toThrow(CategoryFilterError);
  });

  it('accepts a filter of which at least one category is present', () => {
    const sample = selectSample(animalsAndObjects, {
      size: 'all',
      seed: 1,
      categories: ['human', 'object'],
    });
    expect(new Set(sample.map((s) => s.category))).toEqual(new Set(['object']));
    expect(sample.length).toBe(9);
  });
});

describe('size past the available pairs', () => {
  it('counts the pairs of the selected categories', () => {
    expect(availableSamples(animalsAndObjects, undefined)).toBe(27);
    expect(availableSamples(animalsAndObjects, [])).toBe(27);
    expect(availableSamples(animalsAndObjects, ['object'])).toBe(9);
  });

  it('takes all of them and produces the warning the caller logs', () => {
    const sample = selectSample(animalsAndObjects, { size: 150, seed: 3, categories: ['object'] });
    const available = availableSamples(animalsAndObjects, ['object']);
    expect(sample.length).toBe(available);
    expect(sampleShortfallWarning(150, available, ['object'])).toBe(
      'samples: 150 asked, the dataset has 9 (prompts x reference images) in the selected categories: taking all 9',
    );
    expect(sampleShortfallWarning(150, 27, [])).toBe(
      'samples: 150 asked, the dataset has 27 (prompts x reference images): taking all 27',
    );
  });

  it('stays silent when the size fits or is "all"', () => {
    expect(sampleShortfallWarning(9, 9, ['object'])).toBeUndefined();
    expect(sampleShortfallWarning(1, 9, undefined)).toBeUndefined();
    expect(sampleShortfallWarning('all', 9, undefined)).toBeUndefined();
  });
});
