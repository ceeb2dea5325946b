// Named errors that carry their data, so the composition root can report them precisely.

/** An action input has a value we cannot use. The message names the input and quotes the value. */
export class InputError extends Error {
  override readonly name = 'InputError';
  readonly input: string;
  readonly value: string;
  constructor(input: string, value: string, allowed: string) {
    super(`Input "${input}" must be ${allowed}, got ${JSON.stringify(value)}`);
    this.input = input;
    this.value = value;
  }
}

/** Two inputs that are each valid but cannot be used together (or one requires another). */
export class InputConflictError extends Error {
  override readonly name = 'InputConflictError';
  readonly inputs: readonly string[];
  constructor(inputs: readonly string[], message: string) {
    super(message);
    this.inputs = inputs;
  }
}
