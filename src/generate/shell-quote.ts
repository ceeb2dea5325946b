// POSIX shell quoting for values substituted into `generate-command` (pure).

/** Safe words pass unchanged (so `"{manifest}"` in a user's command keeps working for plain paths);
 * anything else is single-quoted, with embedded single quotes as '\''. */
export function shellQuote(value: string): string {
  if (value !== '' && /^[A-Za-z0-9_./:@%+=,-]+$/.test(value)) return value;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * Replaces `{manifest}` and `{output_dir}` with shell-quoted paths, in one pass and through a
 * function: a replacement *string* would read `$&`, `$$`, `` $` `` and `$'` in a path (a
 * RUNNER_TEMP can hold them) as patterns, and a second pass would substitute inside the first's
 * result.
 */
export function substituteCommand(
  command: string,
  values: { manifest: string; outputDir: string },
): string {
  return command.replace(/\{(manifest|output_dir)\}/g, (_, name: string) =>
    shellQuote(name === 'manifest' ? values.manifest : values.outputDir),
  );
}
