import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../src/types.ts';

describe('toolchain', () => {
  it('runs on Node 24', () => {
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(24);
    expect(CATEGORIES).toContain('style');
  });
});
