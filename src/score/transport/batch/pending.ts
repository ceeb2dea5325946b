// A batch the step stopped waiting for, as the next run needs it (pure): its id and input file,
// its model, and each line's custom_id with the sha256 of its request body, so that the next run
// recognises the same request by its bytes and takes the batch's answer instead of asking again.
import type { BatchState } from './batch-api.ts';

export interface PendingLine {
  readonly customId: string;
  /** sha256 of the request body (chat-body.ts): the same judgment asks exactly this. */
  readonly bodySha256: string;
  /** `<sample id> cp#0`, for people reading the record. */
  readonly label: string;
}

export interface PendingBatch {
  readonly id: string;
  readonly inputFileId: string;
  readonly model: string;
  /** ISO time the batch was created. */
  readonly submittedAt: string;
  /** Its status when last seen. */
  readonly status: BatchState | 'unknown';
  readonly lines: readonly PendingLine[];
}

const isString = (v: unknown): v is string => typeof v === 'string' && v !== '';

/** The batches of a record read back, or why they cannot be used. */
export function parsePendingBatches(value: unknown): PendingBatch[] | { problem: string } {
  if (!Array.isArray(value)) return { problem: '"batches" is not a list' };
  const batches: PendingBatch[] = [];
  for (const [i, b] of value.entries()) {
    const v = b as Partial<Record<keyof PendingBatch, unknown>>;
    if (
      !isString(v?.id) ||
      !isString(v.inputFileId) ||
      !isString(v.model) ||
      !Array.isArray(v.lines)
    )
      return { problem: `batch ${i} lacks its id, input file, model or lines` };
    const lines: PendingLine[] = [];
    for (const l of v.lines as unknown[]) {
      const line = l as Partial<Record<keyof PendingLine, unknown>>;
      if (!isString(line?.customId) || !/^[0-9a-f]{64}$/.test(String(line.bodySha256)))
        return { problem: `batch ${v.id} has a line without its custom_id or body sha256` };
      lines.push({
        customId: line.customId,
        bodySha256: String(line.bodySha256),
        label: typeof line.label === 'string' ? line.label : '',
      });
    }
    batches.push({
      id: v.id,
      inputFileId: v.inputFileId,
      model: v.model,
      submittedAt: typeof v.submittedAt === 'string' ? v.submittedAt : '',
      status: typeof v.status === 'string' ? (v.status as BatchState) : 'unknown',
      lines,
    });
  }
  return batches;
}
