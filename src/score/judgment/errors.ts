// Named errors of the judgment side.

/** A prompts folder lacks a template file or holds an empty one. */
export class TemplateError extends Error {
  readonly file: string;
  constructor(file: string, problem: string) {
    super(`judge prompt template ${JSON.stringify(file)} ${problem}`);
    this.name = 'TemplateError';
    this.file = file;
  }
}
