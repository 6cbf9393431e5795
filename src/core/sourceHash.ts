/**
 * A short fingerprint of a piece of source text, to tell whether a handler's code is still the
 * code a run measured: the same text gives the same hash on every platform (line endings are
 * normalised to "\n"; trailing white space at line ends is ignored, as editors add and strip it).
 * Not cryptographic: two 32-bit FNV-1a style lanes with different seeds and a final mix
 * (53 bits in all, 14 hex digits), so an accidental collision is about 1 in 10^16.
 */
export function sourceHash(text: string): string {
  const normalised = text.replace(/\r\n?/g, '\n').replace(/[ \t]+$/gm, '');
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < normalised.length; i++) {
    const c = normalised.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}

/** Lines `start`..`end` (0-based, inclusive) of `text`, joined by "\n". */
export function linesOf(text: string, start: number, end: number): string {
  return text.split(/\r\n?|\n/).slice(start, end + 1).join('\n');
}
