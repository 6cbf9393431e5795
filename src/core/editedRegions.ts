/**
 * The lines of one document edited in this session, each with the time of its latest edit, kept
 * in the document's current line numbers: every later edit moves the regions below it. What the
 * editor needs to mark only the handlers whose code changed after their results were written.
 */
export class EditedRegions {
  /** Sorted, non-overlapping [start, end] line ranges (0-based, inclusive) with their last edit time. */
  private regions: Array<{ start: number; end: number; at: number }> = [];

  /**
   * Lines `start`..`end` (0-based, inclusive) were replaced by `newLines` + 1 lines (a change
   * with no line break in its new text: newLines 0) at time `at`.
   */
  apply(start: number, end: number, newLines: number, at: number): void {
    const shift = newLines - (end - start);
    const next: Array<{ start: number; end: number; at: number }> = [];
    let merged = { start, end: start + newLines, at };
    for (const r of this.regions) {
      if (r.end < start) next.push(r);
      else if (r.start > end) next.push({ start: r.start + shift, end: r.end + shift, at: r.at });
      else {
        // Overlapping the replaced lines: one region, which keeps the newest time.
        merged = {
          start: Math.min(merged.start, r.start),
          end: Math.max(merged.end, r.end > end ? r.end + shift : merged.end),
          at: Math.max(merged.at, r.at),
        };
      }
    }
    next.push(merged);
    next.sort((a, b) => a.start - b.start);
    // Touching regions stay apart; only overlaps are merged above.
    this.regions = next;
  }

  /** True when a line in `from`..`to` (inclusive) was edited after `since` (epoch ms). */
  editedSince(from: number, to: number, since: number): boolean {
    return this.regions.some((r) => r.at > since && r.start <= to && r.end >= from);
  }

  get size(): number {
    return this.regions.length;
  }
}
