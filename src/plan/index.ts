// Public API of the plan stage.
export {
  loadBenchmark,
  loadDreamBenchPlus,
  loadDreamBenchPreset,
  loadLocalFolder,
} from './load-benchmark.ts';
export type { LoadBenchmarkOptions } from './load-benchmark.ts';
export { DREAMBOOTH_PINNED_COMMIT } from './load-benchmark.ts';
export {
  selectSample,
  sampleSeedOf,
  sampleIdOf,
  priorityOrder,
  selectedConcepts,
  availableSamples,
  sampleShortfallWarning,
  SampleSizeError,
} from './sampler.ts';
export type { SampleOptions } from './sampler.ts';
export { shardOf, ShardSpecError } from './shard.ts';
export { DEFAULT_MAX_ARCHIVE_BYTES } from './zip-guard.ts';
export {
  ArchiveContentError,
  ArchiveTooLargeError,
  CategoryFilterError,
  DatasetArchiveError,
  DatasetAuthError,
  DatasetDownloadError,
  DatasetFormatError,
  DatasetRevisionNotFoundError,
  UnknownDatasetError,
  UnsafeArchiveEntryError,
} from './errors.ts';
