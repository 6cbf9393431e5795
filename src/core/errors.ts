/**
 * The one error type for bad input: a file (result file, config, baseline) that cannot be
 * used. It always names the file, and the line (1-based) and column where that makes sense.
 * The CLI prints `message` as one line and exits 2; the editor shows it in a notification.
 */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(`${file}${line !== undefined ? `:${line}${column !== undefined ? `:${column}` : ''}` : ''}: ${oneLine(reason)}`);
    this.name = 'InputError';
  }
}

/**
 * No result file exists yet for any benchmark of a config: the normal state of a workspace before
 * its first run (or after its result files were deleted), not bad input. The editor shows it as
 * "not run" with the next step, never as an error.
 */
export class NoResultsYet extends InputError {
  constructor(
    file: string,
    /** The benchmarks' result globs, as written in the config. */
    readonly globs: readonly string[],
    /** The benchmarks whose results were looked for. */
    readonly benchmarks: readonly string[],
  ) {
    super(file, `no result files match ${globs.join(', ')}; run the benchmarks first`);
    this.name = 'NoResultsYet';
  }
}

/** Collapses whitespace so an error always prints as one line, and bounds its length. */
export function oneLine(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** A piece of text from an input file, quoted for an error message: short, printable. */
export function quote(text: string, max = 40): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return JSON.stringify(clean.length > max ? `${clean.slice(0, max)}…` : clean);
}
