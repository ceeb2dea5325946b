// Which pipeline a run executes, decided from the event unless the `mode` input says otherwise.
import { BASELINE_EVENTS, type ModeInput } from './constants.ts';

export type RunMode = 'check' | 'baseline' | 'plan' | 'merge';

export type ModeDecision =
  | { readonly mode: RunMode; readonly why: string }
  | { readonly mode: 'skip'; readonly why: string };

export interface EventFacts {
  readonly eventName: string;
  /** `GITHUB_REF`, e.g. `refs/heads/main`. */
  readonly ref: string;
  /** From the event payload's repository, when present. */
  readonly defaultBranch: string | undefined;
}

/** Branches whose pushes publish a baseline: the default branch, and `baseline-branch` if set. */
export function baselineBranches(event: EventFacts, baselineBranch: string | undefined): string[] {
  return [event.defaultBranch, baselineBranch].filter((b): b is string => b !== undefined);
}

const PR_EVENTS = ['pull_request', 'pull_request_target'];

export function decideMode(
  input: ModeInput,
  event: EventFacts,
  baselineBranch?: string,
): ModeDecision {
  if (input !== 'auto') return { mode: input, why: `mode "${input}" was set explicitly` };
  if (PR_EVENTS.includes(event.eventName)) {
    return { mode: 'check', why: `"${event.eventName}" event: compare against the baseline` };
  }
  if (event.eventName === 'push') {
    const branch = event.ref.replace(/^refs\/heads\//, '');
    const publishing = baselineBranches(event, baselineBranch);
    if (event.ref.startsWith('refs/heads/') && publishing.includes(branch)) {
      return { mode: 'baseline', why: `push to "${branch}": publish its baseline` };
    }
    return {
      mode: 'skip',
      why:
        `push to "${event.ref}", which is not a baseline branch` +
        (publishing.length > 0 ? ` (${publishing.map((b) => `"${b}"`).join(', ')})` : '') +
        ': nothing to compare or publish (set baseline-branch, or mode: baseline to run anyway)',
    };
  }
  if (BASELINE_EVENTS.includes(event.eventName)) {
    return { mode: 'baseline', why: `"${event.eventName}" event: publish a baseline` };
  }
  return {
    mode: 'skip',
    why:
      `event "${event.eventName}" is not one this action runs on in mode "auto" ` +
      '(pull_request, push to the default branch, schedule, workflow_dispatch); set the "mode" input to run anyway',
  };
}
