/** The JTL header JMeter 5.x writes by default (see rows.mjs). */
export const JTL_HEAD: string;

/** A realistic block of JTL rows (see rows.mjs) and the exact tallies per label. */
export function jtlBlock(
  iterations: number,
  seed: number,
): { text: string; rows: number; tallies: Map<string, { count: number; errors: number; values: number[] }> };
