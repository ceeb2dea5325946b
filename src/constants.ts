// Input and output names of action.yml, written once. Never spell these as bare strings elsewhere.

export const Inputs = {
  OpenaiApiKey: 'openai-api-key',
  OpenaiBaseUrl: 'openai-base-url',
  JudgeModel: 'judge-model',
  JudgeRepeats: 'judge-repeats',
  JudgeScoring: 'judge-scoring',
  JudgeConcurrency: 'judge-concurrency',
  MaxCostUsd: 'max-cost-usd',
  JudgeTimeBudgetMinutes: 'judge-time-budget-minutes',
  Dataset: 'dataset',
  DatasetRevision: 'dataset-revision',
  Samples: 'samples',
  SampleSeed: 'sample-seed',
  Categories: 'categories',
  GenerateCommand: 'generate-command',
  GenerateTimeoutMinutes: 'generate-timeout-minutes',
  ImagesDir: 'images-dir',
  ImageSize: 'image-size',
  PromptsDir: 'prompts-dir',
  Mode: 'mode',
  Shard: 'shard',
  BaselineBranch: 'baseline-branch',
  ArtifactName: 'artifact-name',
  FailOnRegression: 'fail-on-regression',
  RegressionTolerance: 'regression-tolerance',
  Confidence: 'confidence',
  Comment: 'comment',
  CommentId: 'comment-id',
  Cache: 'cache',
  RejudgeBaseline: 'rejudge-baseline',
  GithubToken: 'github-token',
  MaxServiceFailures: 'max-service-failures',
  JudgeBatch: 'judge-batch',
  JudgeBatchWaitMinutes: 'judge-batch-wait-minutes',
} as const;
export type InputName = (typeof Inputs)[keyof typeof Inputs];

export const Outputs = {
  ConceptPreservation: 'concept-preservation',
  PromptFollowing: 'prompt-following',
  CpPf: 'cp-pf',
  ConceptPreservationDelta: 'concept-preservation-delta',
  PromptFollowingDelta: 'prompt-following-delta',
  CpPfDelta: 'cp-pf-delta',
  Verdict: 'verdict',
  SamplesScored: 'samples-scored',
  SamplesFailed: 'samples-failed',
  CostUsd: 'cost-usd',
  ResultsFile: 'results-file',
  ReportFile: 'report-file',
  CommentUrl: 'comment-url',
  ReportUrl: 'report-url',
  /** Not in the contract's list: `mode: plan` needs to hand the manifest path to the next step. */
  ManifestFile: 'manifest-file',
} as const;
export type OutputName = (typeof Outputs)[keyof typeof Outputs];

export const VERDICTS = ['pass', 'regression', 'improvement', 'no-baseline', 'skipped'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** The events whose runs publish a baseline (design.md "Results and baseline"). */
export const BASELINE_EVENTS: readonly string[] = ['push', 'schedule', 'workflow_dispatch'];

export const MODES = ['auto', 'check', 'baseline', 'plan', 'merge'] as const;
export type ModeInput = (typeof MODES)[number];

export const DATASET_PRESETS = ['dreambench-plus', 'dreambench'] as const;

export const JUDGE_SCORINGS = ['expected', 'sampled'] as const;
export type JudgeScoring = (typeof JUDGE_SCORINGS)[number];

/**
 * How the judge's last user turn (the inputs) is built: `labelled` (our bundled templates: a label
 * before each image, `Prompt: ` before the prompt) or `upstream` (the DreamBench++ release's turn
 * exactly, for any `prompts-dir`). Recorded in the fingerprint.
 */
export const FINAL_TURNS = ['labelled', 'upstream'] as const;
export type FinalTurn = (typeof FINAL_TURNS)[number];

/** What kind of endpoint judged: OpenAI's API, an Azure OpenAI deployment, or anything else. */
export const JUDGE_ENDPOINT_KINDS = ['openai', 'azure', 'other'] as const;
export type JudgeEndpointKind = (typeof JUDGE_ENDPOINT_KINDS)[number];

/** The hidden marker that identifies our PR comment; `{id}` is the `comment-id` input. */
export const commentMarker = (commentId: string): string =>
  `<!-- dreambench-action:${commentId} -->`;

/** The results folder, uploaded as the artifact: its files and subfolders. */
export const ArtifactFiles = {
  Results: 'results.json',
  Report: 'report.md',
  /** Per-sample scores keyed like upstream's released ratings (src/results/scores-csv.ts). */
  Scores: 'scores.csv',
  /** The baseline as this run's judge scored its stored images again (rejudge-baseline). */
  RejudgedBaseline: 'baseline-rejudged.json',
  /** Judge-size generated images, `<sample id>.jpg` (fileStemOf: safe names for odd ids). */
  Images: 'images',
  /** Judge-size reference images, `<concept id>.jpg` (likewise). */
  References: 'references',
} as const;

/**
 * The artifacts uploaded unzipped beside the results (GitHub names such an artifact after its
 * file, and a browser opens it from the run's page): the HTML report and the contact sheet.
 */
export const htmlReportArtifact = (artifactName: string): string => `${artifactName}.html`;
export const contactSheetArtifact = (artifactName: string): string =>
  `${artifactName}-contact-sheet.jpg`;
/**
 * Where a baseline run whose health failed keeps what it paid for: a name no later run looks up
 * as a baseline, so half a run never becomes one (even under `continue-on-error`).
 */
export const unhealthyArtifact = (artifactName: string): string => `${artifactName}-unhealthy`;

/** Bump when results.json changes shape incompatibly (history in src/results/schema.ts). */
export const RESULTS_SCHEMA_VERSION = 3;
/** The results.json versions this action reads as baselines and shards. */
export const READABLE_SCHEMA_VERSIONS: readonly number[] = [1, 2, 3];

export const HF_DATASET_REPO = 'yuangpeng/dreambench_plus';
export const HF_DATASET_FILE = 'data.zip';
export const DEFAULT_HF_ENDPOINT = 'https://huggingface.co';

/** Bounds for generated images (design.md "Generation contract"). */
export const MAX_IMAGE_BYTES = 50 * 1024 * 1024;
export const MAX_IMAGE_PIXELS = 50_000_000;

/** GitHub's limit on an issue comment body. */
export const GITHUB_COMMENT_LIMIT = 65_536;
