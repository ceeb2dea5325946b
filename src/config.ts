// Every input parsed once into a typed, frozen Config. Pure: the caller hands in the raw strings.
import path from 'node:path';
import {
  DATASET_PRESETS,
  Inputs,
  JUDGE_SCORINGS,
  MODES,
  type InputName,
  type JudgeScoring,
  type ModeInput,
} from './constants.ts';
import { InputConflictError, InputError } from './errors.ts';
import { CATEGORIES, METRICS, type Category, type Metric } from './types.ts';

export type DatasetSource =
  | { readonly kind: 'preset'; readonly name: (typeof DATASET_PRESETS)[number] }
  | { readonly kind: 'local'; readonly path: string };

export interface Shard {
  /** 1-based index of this slice. */
  readonly index: number;
  readonly count: number;
}

export interface Config {
  readonly judge: {
    readonly apiKey: string;
    readonly baseUrl: string | undefined;
    readonly model: string;
    readonly repeats: number;
    readonly scoring: JudgeScoring;
    readonly concurrency: number;
    readonly maxCostUsd: number | undefined;
    readonly cache: boolean;
    /** `judge-time-budget-minutes`, in minutes. */
    readonly timeBudgetMinutes: number;
    /** `judge-batch`: judge through the Batch API. */
    readonly batch: boolean;
    /** `judge-batch-wait-minutes`, in minutes. */
    readonly batchWaitMinutes: number;
  };
  readonly dataset: { readonly source: DatasetSource; readonly revision: string };
  readonly sampling: {
    readonly size: number | 'all';
    readonly seed: number;
    /** Empty means every category. */
    readonly categories: readonly Category[];
  };
  readonly generation: {
    readonly command: string | undefined;
    readonly imagesDir: string | undefined;
    readonly imageSize: number;
    /** `generate-timeout-minutes` in milliseconds; undefined: no limit. */
    readonly timeoutMs: number | undefined;
  };
  readonly promptsDir: string | undefined;
  readonly mode: ModeInput;
  readonly shard: Shard | undefined;
  readonly baselineBranch: string | undefined;
  /** `rejudge-baseline`: judge a baseline judged differently again with this run's judge. */
  readonly rejudgeBaseline: boolean;
  readonly artifactName: string;
  readonly gate: {
    readonly failOnRegression: boolean;
    /** Per gated metric: the smallest measured drop (0-1 scale) that can fail the check. */
    readonly tolerance: Readonly<Record<Metric, number>>;
    readonly confidence: number;
    /** Largest share of planned samples that judge-service failures may leave without a score. */
    readonly maxServiceFailures: number;
  };
  readonly comment: { readonly enabled: boolean; readonly id: string };
  readonly githubToken: string;
}

/** Reads one raw input; `''` when unset (as `@actions/core.getInput` does). */
export type InputReader = (name: InputName) => string;

export function parseConfig(read: InputReader, workspace: string): Config {
  const get = (name: InputName): string => read(name).trim();
  const optionalPath = (name: InputName): string | undefined => {
    const v = get(name);
    return v === '' ? undefined : path.resolve(workspace, v);
  };

  const command = get(Inputs.GenerateCommand) || undefined;
  const imagesDir = optionalPath(Inputs.ImagesDir);
  if (command !== undefined && imagesDir !== undefined) {
    throw new InputConflictError(
      [Inputs.GenerateCommand, Inputs.ImagesDir],
      `Inputs "${Inputs.GenerateCommand}" and "${Inputs.ImagesDir}" cannot both be set: ` +
        'give the command that generates the images, or the folder an earlier step generated them into',
    );
  }

  const config: Config = {
    judge: {
      apiKey: get(Inputs.OpenaiApiKey),
      baseUrl: parseUrl(Inputs.OpenaiBaseUrl, get(Inputs.OpenaiBaseUrl)),
      model: nonEmpty(Inputs.JudgeModel, get(Inputs.JudgeModel), 'a model name'),
      repeats: integer(Inputs.JudgeRepeats, get(Inputs.JudgeRepeats), 1, 10),
      scoring: oneOf(Inputs.JudgeScoring, get(Inputs.JudgeScoring), JUDGE_SCORINGS),
      concurrency: integer(Inputs.JudgeConcurrency, get(Inputs.JudgeConcurrency), 1, 256),
      maxCostUsd: optionalPositive(Inputs.MaxCostUsd, get(Inputs.MaxCostUsd)),
      cache: boolean(Inputs.Cache, get(Inputs.Cache)),
      timeBudgetMinutes: number(Inputs.JudgeTimeBudgetMinutes, get(Inputs.JudgeTimeBudgetMinutes), {
        min: 0,
        max: 7 * 24 * 60,
        minExclusive: true,
        allowed: 'a positive number of minutes, at most 10080 (a week), such as 120',
      }),
      batch: boolean(Inputs.JudgeBatch, get(Inputs.JudgeBatch)),
      batchWaitMinutes: number(Inputs.JudgeBatchWaitMinutes, get(Inputs.JudgeBatchWaitMinutes), {
        min: 0,
        max: 24 * 60,
        allowed: "a number of minutes from 0 to 1440 (the Batch API's 24 h window), such as 240",
      }),
    },
    dataset: {
      source: parseDataset(get(Inputs.Dataset), workspace),
      revision: parseRevision(get(Inputs.DatasetRevision)),
    },
    sampling: {
      size: parseSamples(get(Inputs.Samples)),
      seed: integer(Inputs.SampleSeed, get(Inputs.SampleSeed), 0, 2 ** 32 - 1),
      categories: parseCategories(get(Inputs.Categories)),
    },
    generation: {
      command,
      imagesDir,
      imageSize: integer(Inputs.ImageSize, get(Inputs.ImageSize), 64, 2048),
      timeoutMs: optionalMinutes(Inputs.GenerateTimeoutMinutes, get(Inputs.GenerateTimeoutMinutes)),
    },
    promptsDir: optionalPath(Inputs.PromptsDir),
    mode: oneOf(Inputs.Mode, get(Inputs.Mode), MODES),
    shard: parseShard(get(Inputs.Shard)),
    baselineBranch: get(Inputs.BaselineBranch) || undefined,
    rejudgeBaseline: boolean(Inputs.RejudgeBaseline, get(Inputs.RejudgeBaseline)),
    artifactName: parseArtifactName(get(Inputs.ArtifactName)),
    gate: {
      failOnRegression: boolean(Inputs.FailOnRegression, get(Inputs.FailOnRegression)),
      tolerance: parseTolerance(get(Inputs.RegressionTolerance)),
      confidence: number(Inputs.Confidence, get(Inputs.Confidence), {
        min: 0,
        max: 1,
        minExclusive: true,
        maxExclusive: true,
        allowed: 'a number strictly between 0 and 1, such as 0.95',
      }),
      maxServiceFailures: parseShare(Inputs.MaxServiceFailures, get(Inputs.MaxServiceFailures)),
    },
    comment: {
      enabled: boolean(Inputs.Comment, get(Inputs.Comment)),
      id: parseCommentId(get(Inputs.CommentId)),
    },
    githubToken: get(Inputs.GithubToken),
  };
  if (config.mode === 'merge' && config.shard) {
    throw new InputConflictError(
      [Inputs.Mode, Inputs.Shard],
      `Input "${Inputs.Shard}" must be empty in mode "merge" (the merge job combines every shard), ` +
        `got ${JSON.stringify(get(Inputs.Shard))}`,
    );
  }
  return deepFreeze(config);
}

/** The judge's key: the input, else `OPENAI_API_KEY` (which the SDK would read too). */
export function judgeApiKey(config: Config, env: NodeJS.ProcessEnv): string {
  return config.judge.apiKey || env.OPENAI_API_KEY || '';
}

function nonEmpty(name: InputName, raw: string, allowed: string): string {
  if (raw === '') throw new InputError(name, raw, allowed);
  return raw;
}

function oneOf<T extends string>(name: InputName, raw: string, allowed: readonly T[]): T {
  const value = raw.toLowerCase();
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new InputError(name, raw, `one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
}

function integer(name: InputName, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new InputError(name, raw, `an integer from ${min} to ${max}`);
  }
  return Number(raw);
}

interface NumberBounds {
  min: number;
  max: number;
  minExclusive?: boolean;
  maxExclusive?: boolean;
  allowed: string;
}

/** The number `raw` spells when it lies within the bounds, else undefined. */
function numberWithin(raw: string, b: Omit<NumberBounds, 'allowed'>): number | undefined {
  const v = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw) ? Number(raw) : NaN;
  const ok =
    Number.isFinite(v) &&
    (b.minExclusive ? v > b.min : v >= b.min) &&
    (b.maxExclusive ? v < b.max : v <= b.max);
  return ok ? v : undefined;
}

function number(name: InputName, raw: string, b: NumberBounds): number {
  const v = numberWithin(raw, b);
  if (v === undefined) throw new InputError(name, raw, b.allowed);
  return v;
}

function optionalPositive(name: InputName, raw: string): number | undefined {
  if (raw === '') return undefined;
  return number(name, raw, {
    min: 0,
    max: Number.MAX_SAFE_INTEGER,
    minExclusive: true,
    allowed: 'empty (no limit) or a positive number of US dollars',
  });
}

function optionalMinutes(name: InputName, raw: string): number | undefined {
  if (raw === '') return undefined;
  const minutes = number(name, raw, {
    min: 0,
    // A week: beyond any job's timeout-minutes; also keeps the milliseconds a valid timer delay.
    max: 7 * 24 * 60,
    minExclusive: true,
    allowed: 'empty (no limit) or a positive number of minutes, at most 10080 (a week)',
  });
  return Math.round(minutes * 60_000);
}

// The YAML 1.2 core schema booleans, as @actions/core.getBooleanInput accepts them.
const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];

function boolean(name: InputName, raw: string): boolean {
  if (TRUE.includes(raw)) return true;
  if (FALSE.includes(raw)) return false;
  throw new InputError(name, raw, '"true" or "false"');
}

const TOLERANCE_ALLOWED =
  'a number in [0, 1) on the 0-1 score scale, such as 0.02, or one per metric: "cp=0.03,pf=0.02"';

/** One number for CP and PF alike, or `cp=X,pf=Y` (both, any order). */
function parseTolerance(raw: string): Readonly<Record<Metric, number>> {
  const bounds = { min: 0, max: 1, maxExclusive: true, allowed: TOLERANCE_ALLOWED };
  if (!raw.includes('=')) {
    const v = number(Inputs.RegressionTolerance, raw, bounds);
    return { cp: v, pf: v };
  }
  const found: Partial<Record<Metric, number>> = {};
  for (const part of raw.split(',')) {
    const m = /^\s*(cp|pf)\s*=\s*(\S+)\s*$/i.exec(part);
    const metric = m?.[1]!.toLowerCase() as Metric | undefined;
    const v = m ? numberWithin(m[2]!, bounds) : undefined;
    if (metric === undefined || v === undefined || found[metric] !== undefined)
      throw new InputError(Inputs.RegressionTolerance, raw, TOLERANCE_ALLOWED);
    found[metric] = v;
  }
  if (METRICS.some((k) => found[k] === undefined))
    throw new InputError(Inputs.RegressionTolerance, raw, TOLERANCE_ALLOWED);
  return { cp: found.cp!, pf: found.pf! };
}

/** A share from 0 to 1, as a fraction (`0.1`) or a percentage (`10%`). */
function parseShare(name: InputName, raw: string): number {
  const percent = raw.endsWith('%');
  const v = numberWithin(percent ? raw.slice(0, -1).trim() : raw, {
    min: 0,
    max: percent ? 100 : 1,
  });
  if (v === undefined)
    throw new InputError(
      name,
      raw,
      'a share of the planned samples from 0 to 1, such as 0.1, or a percentage such as 10%',
    );
  return percent ? v / 100 : v;
}

function parseUrl(name: InputName, raw: string): string | undefined {
  if (raw === '') return undefined;
  const url = URL.canParse(raw) ? new URL(raw) : undefined;
  if (url?.protocol !== 'https:' && url?.protocol !== 'http:') {
    throw new InputError(
      name,
      withoutCredentials(raw),
      'empty or an http(s) URL such as "https://api.openai.com/v1"',
    );
  }
  // The SDK would send every request with these and fail as "Connection error"; and a user name
  // may be the token itself, so neither part is repeated in the message.
  if (url.username !== '' || url.password !== '') {
    throw new InputError(
      name,
      withoutCredentials(raw),
      'an http(s) URL without credentials (the judge key goes in "openai-api-key")',
    );
  }
  return raw.replace(/\/+$/, '');
}

/**
 * `https://user:pass@host/…` as `https://***@host/…`, keeping the rest as written. Up to the last
 * `@`: a password may hold the `/`, `#` or `?` that would end a parsed URL's user part.
 */
function withoutCredentials(raw: string): string {
  return raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)?.*@/is, '$1***@');
}

function parseDataset(raw: string, workspace: string): DatasetSource {
  const preset = DATASET_PRESETS.find((p) => p === raw);
  if (preset) return { kind: 'preset', name: preset };
  if (raw === '') {
    throw new InputError(
      Inputs.Dataset,
      raw,
      `${DATASET_PRESETS.map((p) => `"${p}"`).join(', ')} or the path of a local folder in the DreamBench++ layout`,
    );
  }
  return { kind: 'local', path: path.resolve(workspace, raw) };
}

function parseRevision(raw: string): string {
  if (!/^[A-Za-z0-9._\-/]+$/.test(raw) || raw.includes('..')) {
    throw new InputError(
      Inputs.DatasetRevision,
      raw,
      'a hub revision: a branch, tag or commit made of letters, digits, ".", "_", "-" and "/"',
    );
  }
  return raw;
}

function parseSamples(raw: string): number | 'all' {
  if (raw.toLowerCase() === 'all') return 'all';
  // Larger than the dataset is fine: the plan takes everything and says so.
  if (/^\d+$/.test(raw) && Number(raw) >= 1 && Number.isSafeInteger(Number(raw)))
    return Number(raw);
  throw new InputError(Inputs.Samples, raw, 'a positive integer or "all"');
}

function parseCategories(raw: string): readonly Category[] {
  if (raw === '') return [];
  const parts = raw.split(',').map((p) => p.trim().toLowerCase());
  for (const part of parts) {
    if (!(CATEGORIES as readonly string[]).includes(part)) {
      throw new InputError(
        Inputs.Categories,
        raw,
        `a comma-separated list of ${CATEGORIES.join(', ')} (unknown category "${part}")`,
      );
    }
  }
  // Keep the canonical order so that "style,animal" and "animal,style" fingerprint alike.
  return CATEGORIES.filter((c) => parts.includes(c));
}

function parseShard(raw: string): Shard | undefined {
  if (raw === '') return undefined;
  const m = /^(\d+)\s*\/\s*(\d+)$/.exec(raw);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || count > 256 || index < 1 || index > count) {
    throw new InputError(
      Inputs.Shard,
      raw,
      'empty or "i/n" with 1 <= i <= n <= 256, such as "2/4" for the second of four slices',
    );
  }
  return { index, count };
}

function parseArtifactName(raw: string): string {
  // The characters @actions/artifact rejects in names.
  if (raw === '' || /["':<>|*?\r\n\\/]/.test(raw)) {
    throw new InputError(
      Inputs.ArtifactName,
      raw,
      'a non-empty artifact name without any of " : < > | * ? \\ / or line breaks',
    );
  }
  return raw;
}

function parseCommentId(raw: string): string {
  // It lands inside an HTML comment: "--" or ">" would end the comment early.
  if (!/^[A-Za-z0-9_.]+(-[A-Za-z0-9_.]+)*$/.test(raw) || raw.length > 64) {
    throw new InputError(
      Inputs.CommentId,
      raw,
      'up to 64 letters, digits, ".", "_" and single "-" (it goes into a hidden HTML marker)',
    );
  }
  return raw;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
