/**
 * Series globs (a budget's `series`): "*" matches any run of characters (also none), "?" exactly
 * one character (a code point), everything else itself, over the whole series name. There is no
 * escape: a series name with a literal "*" or "?" is matched by the wildcard.
 *
 * The glob comes from the workspace's perf-budgets.json and the names from its result files, so
 * matching must not be a regex (`.*a.*a…b` backtracks exponentially): it is the two-pointer greedy
 * matcher that backs up to the last "*", at most pattern × name steps. The limits keep that small.
 */
export const GLOB_LIMITS = {
  /** Longest `series` glob perf-budgets.json accepts (characters). */
  patternLength: 512,
  /** Most "*" and "?" in one glob. */
  wildcards: 32,
  /** A series name longer than this (UTF-16 units) never matches a glob; a plain handler id still can. */
  nameLength: 2048,
} as const;

/** How many "*" and "?" a glob has (what GLOB_LIMITS.wildcards caps). */
export function globWildcards(pattern: string): number {
  let n = 0;
  for (const c of pattern) if (c === '*' || c === '?') n++;
  return n;
}

/** Compiles `pattern` once into a matcher of whole series names. */
export function compileGlob(pattern: string): (name: string) => boolean {
  // Runs of "*" are one "*"; a pattern without wildcards is plain equality.
  const p = Array.from(pattern.replace(/\*+/g, '*'));
  if (!p.includes('*') && !p.includes('?')) return (name) => name.length <= GLOB_LIMITS.nameLength && name === pattern;
  return (name) => name.length <= GLOB_LIMITS.nameLength && wildcardMatch(p, Array.from(name));
}

function wildcardMatch(p: readonly string[], s: readonly string[]): boolean {
  let i = 0; // in p
  let j = 0; // in s
  let star = -1; // index in p of the last "*" seen
  let resume = 0; // where in s that "*" match ends so far
  while (j < s.length) {
    if (i < p.length && p[i] === '*') {
      star = i++;
      resume = j;
    } else if (i < p.length && (p[i] === '?' || p[i] === s[j])) {
      i++;
      j++;
    } else if (star >= 0) {
      // Let the last "*" take one more character and try the rest again.
      i = star + 1;
      j = ++resume;
    } else {
      return false;
    }
  }
  while (i < p.length && p[i] === '*') i++;
  return i === p.length;
}
