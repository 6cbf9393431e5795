import type { Series } from '../series';

/**
 * The cap on series per result file. Each series holds a histogram, and a file naming a new
 * handler on every line (20,000 hdr-log tags, k6 URLs with an id in the path) would otherwise
 * take gigabytes: past the cap, the first series are read in full, the others skipped, and the
 * read says so (`onWarning`). 2,000 handlers is far more than one service has.
 */
export const DEFAULT_MAX_SERIES_PER_FILE = 2000;

/** Distinct skipped names remembered for the warning's count; past it the count is a lower bound. */
const MAX_REMEMBERED_SKIPPED = 100_000;

/** What a read skipped: plain data, so it crosses a worker boundary. */
export interface SkippedSeries {
  /** Names of the series skipped (the first MAX_REMEMBERED_SKIPPED distinct ones). */
  names: string[];
  /** More distinct names were skipped than `names` holds. */
  more: boolean;
  /** Samples (requests, values) the skipped series held. */
  samples: number;
}

export class SeriesLimit {
  private readonly names = new Set<string>();
  private more = false;
  private samples = 0;

  /** `only`: admit exactly these names (a parallel scan run again with the ones to keep). */
  constructor(
    readonly max: number,
    private readonly only: ReadonlySet<string> | null = null,
  ) {}

  /** The limit of `options.maxSeries` (at least 1; the default when absent or not a number). */
  static of(options: { maxSeries?: number | undefined }): SeriesLimit {
    const max = options.maxSeries;
    return new SeriesLimit(max !== undefined && max >= 1 ? Math.floor(max) : DEFAULT_MAX_SERIES_PER_FILE);
  }

  /**
   * Whether a series `name` not read yet may join the `size` read so far; when not, it and
   * its `samples` count as skipped.
   */
  admits(size: number, name: string, samples = 1): boolean {
    if (this.only ? this.only.has(name) : size < this.max) return true;
    this.skip(name, samples);
    return false;
  }

  skip(name: string, samples: number): void {
    this.samples += samples;
    if (this.names.size < MAX_REMEMBERED_SKIPPED) this.names.add(name);
    else if (!this.names.has(name)) this.more = true;
  }

  /** Adds what another reader of the same file (a worker) skipped. */
  addSkipped(other: SkippedSeries): void {
    this.samples += other.samples;
    for (const name of other.names) this.skip(name, 0);
    if (other.more) this.more = true;
  }

  get skipped(): SkippedSeries {
    return { names: [...this.names], more: this.more, samples: this.samples };
  }

  /** The first `max` of `series`, the rest counted as skipped (for readers that do not limit as they read). */
  keepFirst(series: Series[]): Series[] {
    if (series.length <= this.max) return series;
    for (const s of series.slice(this.max)) this.skip(s.name, s.count ?? 0);
    return series.slice(0, this.max);
  }

  /**
   * `file: more than 2000 series; read the first 2000, skipped 18000 more with 18000 samples
   * (raise perfBudgets.results.maxSeriesPerFile or --max-series)`, or null when nothing was skipped.
   */
  warning(file: string): string | null {
    if (this.names.size === 0 && !this.more) return null;
    const more = this.more ? `at least ${this.names.size}` : String(this.names.size);
    const samples = this.samples > 0 ? ` with ${this.samples} samples` : '';
    return (
      `${file}: more than ${this.max} series; read the first ${this.max}, skipped ${more} more${samples} ` +
      '(raise perfBudgets.results.maxSeriesPerFile or --max-series)'
    );
  }

  /** Tells `options.onWarning` what was skipped, if anything. */
  report(options: { fileName: string; onWarning?: ((message: string) => void) | undefined }): void {
    const w = this.warning(options.fileName);
    if (w !== null) options.onWarning?.(w);
  }
}
