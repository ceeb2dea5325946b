// Public API of the generate stage.
export { writeManifest, renderManifest, manifestLine, outputImageOf } from './manifest.ts';
export type { ManifestLine } from './manifest.ts';
export { runGenerateCommand, TAIL_LINES, DRAIN_GRACE_MS } from './run-command.ts';
export type { GenerateCommandOptions } from './run-command.ts';
export { collectImages } from './collect-images.ts';
export type { CollectOptions, CollectedImages } from './collect-images.ts';
export { GenerateCommandError, GenerateCancelledError, GenerateTimeoutError } from './errors.ts';
export { shellQuote, substituteCommand } from './shell-quote.ts';
