// Keeps the last N lines of a byte stream (for error messages), handling lines split across chunks.

export class LastLines {
  readonly #limit: number;
  #lines: string[] = [];
  #partial = '';
  constructor(limit: number) {
    this.#limit = limit;
  }
  push(chunk: string): void {
    const parts = (this.#partial + chunk).split(/\r?\n/);
    this.#partial = parts.pop() ?? '';
    this.#lines.push(...parts);
    if (this.#lines.length > this.#limit) this.#lines = this.#lines.slice(-this.#limit);
  }
  lines(): string[] {
    const all = this.#partial === '' ? this.#lines : [...this.#lines, this.#partial];
    return all.slice(-this.#limit);
  }
}
