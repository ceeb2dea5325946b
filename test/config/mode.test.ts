import { describe, expect, it } from 'vitest';
import { decideMode, type EventFacts } from '../../src/mode.ts';

const ev = (
  eventName: string,
  ref = 'refs/heads/main',
  defaultBranch: string | undefined = 'main',
): EventFacts => ({
  eventName,
  ref,
  defaultBranch,
});

describe('decideMode', () => {
  it.each([
    ['pull_request', ev('pull_request', 'refs/pull/7/merge'), 'check'],
    ['pull_request_target', ev('pull_request_target'), 'check'],
    ['push to default', ev('push'), 'baseline'],
    ['push to default named trunk', ev('push', 'refs/heads/trunk', 'trunk'), 'baseline'],
    ['schedule', ev('schedule'), 'baseline'],
    ['workflow_dispatch', ev('workflow_dispatch', 'refs/heads/feature'), 'baseline'],
    ['push to a feature branch', ev('push', 'refs/heads/feature'), 'skip'],
    ['push of a tag', ev('push', 'refs/tags/main'), 'skip'],
    ['issue_comment', ev('issue_comment'), 'skip'],
    ['release', ev('release'), 'skip'],
  ] as const)('auto on %s → %s', (_n, event, mode) => {
    expect(decideMode('auto', event).mode).toBe(mode);
  });

  it('a push to baseline-branch publishes too', () => {
    expect(decideMode('auto', ev('push', 'refs/heads/develop'), 'develop').mode).toBe('baseline');
    expect(decideMode('auto', ev('push', 'refs/heads/main'), 'develop').mode).toBe('baseline');
    expect(decideMode('auto', ev('push', 'refs/heads/other'), 'develop').why).toMatch(
      /not a baseline branch \("main", "develop"\)/,
    );
  });

  it('an explicit mode wins over the event', () => {
    expect(decideMode('baseline', ev('pull_request')).mode).toBe('baseline');
    expect(decideMode('plan', ev('issue_comment')).mode).toBe('plan');
  });

  it('explains a skip', () => {
    expect(decideMode('auto', ev('issue_comment')).why).toMatch(
      /"issue_comment".*set the "mode" input/,
    );
  });
});
