// Skips that say why. vitest's describe.skipIf and it.skipIf take no reason; a test skipped with
// `ctx.skip(reason)` carries one, and the skip-reasons reporter (test/harness/skip-reasons.ts)
// prints it at the end of the run.
import { beforeEach } from 'vitest';

/** Where `reason` is a string, every test of the enclosing describe is skipped with it. */
export function skipAllIf(reason: string | false | undefined): void {
  beforeEach((ctx) => {
    if (reason) ctx.skip(reason);
  });
}

/** The reason tests of the real DreamBooth photographs skip, or undefined when they are there. */
export function withoutPhotos(dir: string, present: boolean): string | undefined {
  return present
    ? undefined
    : `needs the DreamBooth photographs at ${dir} (the shared folder beside the repository)`;
}
