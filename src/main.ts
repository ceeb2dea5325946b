// Composition root: parses the inputs, decides the mode, wires the edges into the pipeline, and
// is the one place that fails the step.
import * as core from '@actions/core';
import { parseConfig } from './config.ts';
import { Inputs, Outputs } from './constants.ts';
import { decideMode } from './mode.ts';
import { readEventFacts } from './github/event.ts';

export async function run(): Promise<void> {
  try {
    // Mask the key before anything else can print it.
    const apiKey = core.getInput(Inputs.OpenaiApiKey);
    if (apiKey !== '') core.setSecret(apiKey);
    const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
    const config = parseConfig((name) => core.getInput(name), workspace);
    const decision = decideMode(config.mode, readEventFacts());
    if (decision.mode === 'skip') {
      core.notice(`Skipped: ${decision.why}`);
      core.setOutput(Outputs.Verdict, 'skipped');
      return;
    }
    core.info(`Mode: ${decision.mode} (${decision.why})`);
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}
