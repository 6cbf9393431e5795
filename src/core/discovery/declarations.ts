import { type Source, skipSpace, splitArgs } from './sourceText';

/**
 * From `i` (just after a decorator, annotation or attribute), skips any further ones
 * (`@Name`, `@Name(...)`, `@a.b(...)`, Rust `#[...]`) and returns the offset of the first
 * token of the declaration they decorate.
 */
export function declarationAfter(src: Source, i: number): number {
  let k = skipSpace(src, i);
  for (;;) {
    const s = src.skel;
    if (s[k] === '@' && /[A-Za-z_]/.test(s[k + 1] ?? '') && !/^@interface\b/.test(s.slice(k, k + 10))) {
      const m = /^@[A-Za-z_][\w.:]*\s*/.exec(s.slice(k, k + 200))!;
      let e = k + m[0].length;
      if (s[e] === '(') {
        const parts = splitArgs(src, e);
        if (!parts) return e;
        e = parts.end;
      } else e = k + m[0].trimEnd().length;
      k = skipSpace(src, e);
      continue;
    }
    if (s[k] === '#' && s[k + 1] === '[') {
      const parts = splitArgs(src, k + 1);
      if (!parts) return k;
      k = skipSpace(src, parts.end);
      continue;
    }
    return k;
  }
}

/** Returns the offset just after the decorator/annotation call opening at `open` (or the name when no parens). */
export function afterArgs(src: Source, open: number): number {
  const parts = splitArgs(src, open);
  return parts ? parts.end : open + 1;
}
