import { normalCdf } from './random';

export interface MannWhitney {
  /** U of the first sample. */
  u: number;
  /** Two-sided p-value. */
  p: number;
  /** One-sided p-value of "the first sample is stochastically larger". */
  pGreater: number;
  /** Effect size: P(X > Y) + ½P(X = Y) (the common-language effect size; 0.5 = no effect). */
  effect: number;
  exact: boolean;
}

/**
 * The Mann–Whitney U (Wilcoxon rank-sum) test, as benchstat uses for per-run summaries:
 * exact null distribution (by counting) for small samples (with ties: of the sum of midranks,
 * as a permutation test), normal approximation with tie correction for larger ones.
 */
export function mannWhitney(x: readonly number[], y: readonly number[]): MannWhitney | null {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) return null;
  const all = [...x.map((v) => ({ v, g: 0 })), ...y.map((v) => ({ v, g: 1 }))].sort((a, b) => a.v - b.v);
  const ranks = new Array<number>(all.length);
  let tieTerm = 0;
  let ties = false;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j + 1 < all.length && all[j + 1]!.v === all[i]!.v) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[k] = r;
    const t = j - i + 1;
    if (t > 1) {
      ties = true;
      tieTerm += t * t * t - t;
    }
    i = j + 1;
  }
  let r1 = 0;
  all.forEach((a, i) => {
    if (a.g === 0) r1 += ranks[i]!;
  });
  const u = r1 - (n1 * (n1 + 1)) / 2;
  const effect = u / (n1 * n2);
  if (!ties && n1 + n2 <= 40) {
    const dist = exactUDistribution(n1, n2);
    const total = dist.reduce((a, b) => a + b, 0);
    const cdf = (k: number) => dist.slice(0, Math.floor(k) + 1).reduce((a, b) => a + b, 0) / total;
    const pGreater = 1 - cdf(u - 1);
    const pLess = cdf(u);
    return { u, p: Math.min(1, 2 * Math.min(pGreater, pLess)), pGreater, effect, exact: true };
  }
  if (ties && n1 + n2 <= 40) {
    // Exact with ties: the permutation distribution of the first sample's sum of midranks.
    const dist = exactRankSumDistribution(ranks.map((r) => r * 2), n1);
    const twice = Math.round(r1 * 2);
    let total = 0;
    let atLeast = 0;
    let atMost = 0;
    dist.forEach((count, sum) => {
      total += count;
      if (sum >= twice) atLeast += count;
      if (sum <= twice) atMost += count;
    });
    const pGreater = atLeast / total;
    return { u, p: Math.min(1, 2 * Math.min(pGreater, atMost / total)), pGreater, effect, exact: true };
  }
  const n = n1 + n2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return { u, p: 1, pGreater: 1, effect, exact: false };
  const zGreater = (u - mean - 0.5) / Math.sqrt(variance);
  const zTwo = (Math.abs(u - mean) - 0.5) / Math.sqrt(variance);
  return { u, p: Math.min(1, 2 * (1 - normalCdf(zTwo))), pGreater: 1 - normalCdf(zGreater), effect, exact: false };
}

/** Counts of each U value under H0 for sizes n1, n2 (dynamic programming over arrangements). */
function exactUDistribution(n1: number, n2: number): number[] {
  // f[i][j][u]: arrangements of i x's and j y's with statistic u.
  let prev: number[][] = Array.from({ length: n2 + 1 }, () => [1]);
  for (let i = 1; i <= n1; i++) {
    const cur: number[][] = [];
    for (let j = 0; j <= n2; j++) {
      const out: number[] = [];
      // Last element is an x (it beats all j y's) or a y.
      const a = prev[j]!;
      for (let k = 0; k < a.length; k++) out[k + j] = (out[k + j] ?? 0) + a[k]!;
      if (j > 0) {
        const b = cur[j - 1]!;
        for (let k = 0; k < b.length; k++) out[k] = (out[k] ?? 0) + b[k]!;
      }
      cur.push(Array.from(out, (v) => v ?? 0));
    }
    prev = cur;
  }
  return prev[n2]!;
}

/** Counts of each sum of k items chosen from `values` (non-negative integers), by dynamic programming. */
function exactRankSumDistribution(values: readonly number[], k: number): Map<number, number> {
  // f[j]: sums of j chosen items so far -> number of ways.
  let f: Array<Map<number, number>> = Array.from({ length: k + 1 }, (_, j) => new Map(j === 0 ? [[0, 1]] : []));
  for (const v of values) {
    const next = f.map((m) => new Map(m));
    for (let j = 0; j < k; j++) {
      for (const [sum, count] of f[j]!) next[j + 1]!.set(sum + v, (next[j + 1]!.get(sum + v) ?? 0) + count);
    }
    f = next;
  }
  return f[k]!;
}
