// The runner emulation keeps `::debug::` lines out of the log a test (and a user) reads, as GitHub
// does without step debug logging, and keeps them in `debug`.
import { describe, expect, it } from 'vitest';
import { splitDebugLines } from './runner.ts';

describe('splitDebugLines', () => {
  it('takes out exactly the lines that start with ::debug::, in order', () => {
    const stdout = [
      'Plan: 12 samples',
      '::debug::Headers: {%0A  "x": 1%0A}',
      '::notice::Wrote the manifest',
      '  ::debug:: indented text is log, not a command',
      '::debug::second',
      '',
    ].join('\n');
    const { log, debug } = splitDebugLines(stdout);
    expect(log).toBe(
      'Plan: 12 samples\n::notice::Wrote the manifest\n  ::debug:: indented text is log, not a command\n',
    );
    expect(debug).toBe('::debug::Headers: {%0A  "x": 1%0A}\n::debug::second\n');
  });

  it('leaves a log without debug lines as it was', () => {
    expect(splitDebugLines('a\nb\n')).toEqual({ log: 'a\nb\n', debug: '' });
  });
});
