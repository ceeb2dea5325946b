// Facts about the triggering event, read from the runner's environment and payload.
import { readFileSync } from 'node:fs';
import type { EventFacts } from '../mode.ts';

export function readEventFacts(env: NodeJS.ProcessEnv = process.env): EventFacts {
  return {
    eventName: env.GITHUB_EVENT_NAME ?? '',
    ref: env.GITHUB_REF ?? '',
    defaultBranch: readPayload(env)?.repository?.default_branch,
  };
}

interface PayloadShape {
  repository?: { default_branch?: string; full_name?: string };
}

export function readPayload(env: NodeJS.ProcessEnv = process.env): PayloadShape | undefined {
  const file = env.GITHUB_EVENT_PATH;
  if (!file) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as PayloadShape;
}
