// Named errors of the score stage. Each carries the data a caller needs to report it.

/** `DREAMBENCH_PRICES` is not valid. */
export class PriceTableError extends Error {
  readonly value: string;
  constructor(value: string, problem: string) {
    super(
      `Environment variable DREAMBENCH_PRICES ${JSON.stringify(value.slice(0, 200))} is invalid: ${problem}`,
    );
    this.name = 'PriceTableError';
    this.value = value;
  }
}

/** `max-cost-usd` is set but the judge model has no price, so spend cannot be estimated. */
export class UnknownModelPriceError extends Error {
  readonly model: string;
  readonly knownModels: readonly string[];
  constructor(model: string, knownModels: readonly string[]) {
    const example = JSON.stringify({ [model]: { input: 2.5, cachedInput: 1.25, output: 10 } });
    super(
      `Input "max-cost-usd" needs a price for judge model ${JSON.stringify(model)}; known: ${knownModels.join(', ')}; add one with DREAMBENCH_PRICES='${example}' (dollars per 1M tokens)`,
    );
    this.name = 'UnknownModelPriceError';
    this.model = model;
    this.knownModels = knownModels;
  }
}

/** An input image could not be decoded or converted for the judge. */
export class ImagePrepareError extends Error {
  readonly path: string;
  constructor(path: string, cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(`image ${JSON.stringify(path)} could not be prepared for the judge: ${why}`, { cause });
    this.name = 'ImagePrepareError';
    this.path = path;
  }
}
