// One round of batch judging: the asks gathered until every judgment waits, written as they
// come into the input files the packer chooses (file-packer.ts), one line at a time and part by
// part, so that no line waits in memory for the disk and no image is copied.
import { createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { JudgeRequest } from '../judge-transport.ts';
import type { TrackedLine } from './batch-tracker.ts';
import { FilePacker, type FileLimits } from './file-packer.ts';

export interface RoundLine extends TrackedLine {
  readonly again: boolean;
  readonly build: () => JudgeRequest;
}

export interface RoundFile {
  readonly path: string;
  readonly model: string;
  readonly stream: WriteStream;
  readonly lines: RoundLine[];
  bytes: number;
}

/** The asks gathered for one round, written to their input files as they come. */
export class Round {
  readonly n: number;
  readonly lines: RoundLine[] = [];
  readonly files: RoundFile[] = [];
  readonly #packer: FilePacker;
  readonly #dir: string;
  /** Lines are made and written one at a time, so no line waits in memory for the disk. */
  #tail: Promise<unknown> = Promise.resolve();

  constructor(n: number, dir: string, limits: FileLimits) {
    this.n = n;
    this.#dir = dir;
    this.#packer = new FilePacker(limits);
  }

  get nextId(): string {
    return `r${this.n}-${this.lines.length + 1}`;
  }

  /** Runs `make` after every line before it was written. */
  exclusive<T>(make: () => Promise<T>): Promise<T> {
    const turn = this.#tail.then(make);
    this.#tail = turn.catch(() => undefined);
    return turn;
  }

  /** Writes the line (its parts, in order) into its file; `undefined` when no input file could hold it. */
  add(model: string, parts: readonly Buffer[], line: RoundLine): Promise<void> | undefined {
    const bytes = parts.reduce((n, p) => n + p.length, 0);
    const at = this.#packer.place(model, bytes);
    if (at === undefined) return undefined;
    const file = (this.files[at] ??= this.#open(at, model));
    file.lines.push(line);
    file.bytes += bytes;
    this.lines.push(line);
    const last = parts.length - 1;
    return new Promise((resolve, reject) =>
      parts.forEach((part, i) =>
        file.stream.write(
          part,
          i === last ? (error) => (error ? reject(error) : resolve()) : undefined,
        ),
      ),
    );
  }

  #open(at: number, model: string): RoundFile {
    const file = path.join(this.#dir, `round-${this.n}-file-${at + 1}.jsonl`);
    return { path: file, model, stream: createWriteStream(file), lines: [], bytes: 0 };
  }

  async close(): Promise<void> {
    await Promise.all(
      this.files.map((f) => new Promise<void>((resolve) => f.stream.end(() => resolve()))),
    );
  }

  async discard(): Promise<void> {
    await Promise.all(this.files.map((f) => rm(f.path, { force: true })));
  }
}
