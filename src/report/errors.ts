// Errors of the report stage.

/** An image of a contact-sheet row could not be read or decoded. */
export class ContactSheetImageError extends Error {
  override readonly name = 'ContactSheetImageError';
  readonly rowId: string;
  readonly column: string;
  readonly file: string;
  constructor(rowId: string, column: string, file: string, cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(
      `Contact sheet row ${JSON.stringify(rowId)}: cannot read the ${column} image ${JSON.stringify(file)} (${why}); expected a readable PNG, JPEG or WebP file`,
      { cause },
    );
    this.rowId = rowId;
    this.column = column;
    this.file = file;
  }
}

/** A contact-sheet option is out of range. */
export class ContactSheetOptionError extends Error {
  override readonly name = 'ContactSheetOptionError';
  readonly option: string;
  readonly value: unknown;
  constructor(option: string, value: unknown, allowed: string) {
    super(`Contact sheet option "${option}" must be ${allowed}, got ${JSON.stringify(value)}`);
    this.option = option;
    this.value = value;
  }
}
