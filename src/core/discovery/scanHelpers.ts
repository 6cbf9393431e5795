import { type Source, type Span, matchBracket, scan, splitArgs, textOf } from './sourceText';

/** Index of the bracket opening the one closing at `close` (skeleton-based), or -1. */
export function matchBracketBack(src: Source, close: number): number {
  const s = src.skel;
  let depth = 0;
  for (let k = close; k >= 0; k--) {
    const c = s[k]!;
    if (c === ')' || c === ']' || c === '}') depth++;
    else if (c === '(' || c === '[' || c === '{') {
      depth--;
      if (depth === 0) return k;
    }
  }
  return -1;
}

export function skipSpaceBack(src: Source, i: number): number {
  let k = i;
  while (k >= 0 && /\s/.test(src.skel[k]!)) k--;
  return k;
}

export interface ChainStep {
  name: string;
  /** Offset of the "(" of the call. */
  open: number;
  nameStart: number;
}

export interface Receiver {
  /** "app", "this.app", "Hono()" (a call at the root of the chain). */
  root: string;
  rootStart: number;
  /** `new` before a root call. */
  constructed: boolean;
  /** Calls between the root and the method being examined: app.route('/x').get -> [route]. */
  steps: ChainStep[];
}

const IDENT_CHAR = /[\w$]/;

/** Longest call chain walked back through; longer chains (generated code) are not routes we can place. */
const MAX_CHAIN = 64;

/** Walks back from the "." before a method name to the start of the receiver expression. */
export function receiverBefore(src: Source, dot: number): Receiver | null {
  const s = src.skel;
  let k = skipSpaceBack(src, dot - 1);
  const steps: ChainStep[] = [];
  const parts: string[] = [];
  for (;;) {
    if (steps.length > MAX_CHAIN) return null;
    if (s[k] === ')') {
      const open = matchBracketBack(src, k);
      if (open < 0) return null;
      let e = skipSpaceBack(src, open - 1);
      if (s[e] === '>') {
        // A generic call: Router<Env>() / Fastify<...>()
        let depth = 0;
        for (; e >= 0; e--) {
          if (s[e] === '>') depth++;
          else if (s[e] === '<' && --depth === 0) break;
        }
        e = skipSpaceBack(src, e - 1);
      }
      let b = e;
      while (b >= 0 && IDENT_CHAR.test(s[b]!)) b--;
      if (b === e) return null;
      const name = s.slice(b + 1, e + 1);
      const before = skipSpaceBack(src, b);
      if (s[before] === '.' || (s[before] === ':' && s[before - 1] === ':')) {
        steps.unshift({ name, open, nameStart: b + 1 });
        k = skipSpaceBack(src, before - (s[before] === ':' ? 2 : 1));
        continue;
      }
      const kw = /(\bnew|\bawait)\s*$/.exec(s.slice(Math.max(0, before - 8), before + 1));
      const constructed = !!kw && kw[1] === 'new';
      return {
        root: `${name}()`,
        rootStart: kw ? before + 1 - kw[0].length : b + 1,
        constructed,
        steps,
      };
    }
    if (k >= 0 && IDENT_CHAR.test(s[k]!)) {
      let b = k;
      while (b >= 0 && IDENT_CHAR.test(s[b]!)) b--;
      parts.unshift(s.slice(b + 1, k + 1));
      const before = skipSpaceBack(src, b);
      if (s[before] === '.' && s[before - 1] !== '.') {
        k = skipSpaceBack(src, before - 1);
        if (s[k] === ')') return null; // call().member.get(): give up
        continue;
      }
      return { root: parts.join('.'), rootStart: b + 1, constructed: false, steps };
    }
    return null;
  }
}

/** The identifier-ish callee before the "(" at `open`: `web::get`, `http.HandleFunc`. */
export function calleeBefore(src: Source, open: number): string {
  const m = /([\w$]+(?:\s*(?:\.|::)\s*[\w$]+)*)\s*$/.exec(src.skel.slice(Math.max(0, open - 200), open));
  return m ? m[1]!.replace(/\s+/g, '') : '';
}

/** Method chain after a call: `.get(h).post(h2)` -> [{name:'get', args}, …]. */
export function chainAfter(src: Source, end: number): Array<{ name: string; nameStart: number; open: number; args: Span[]; end: number }> {
  const out: Array<{ name: string; nameStart: number; open: number; args: Span[]; end: number }> = [];
  let k = end;
  for (;;) {
    const m = /^\s*\.\s*([\w$]+)\s*\(/.exec(src.skel.slice(k, k + 200));
    if (!m) return out;
    const open = k + m[0].length - 1;
    const parts = splitArgs(src, open);
    if (!parts) return out;
    out.push({ name: m[1]!, nameStart: k + m[0].indexOf(m[1]!), open, args: parts.args, end: parts.end });
    k = parts.end;
  }
}

/** The index-th argument of the call opening at `open`. */
export function spanOfArg(src: Source, open: number, index: number): Span | null {
  const parts = splitArgs(src, open);
  return parts?.args[index] ?? null;
}

/** Collects simple string constants: `const API = "/api"` (language-specific regex, group 1 = name). */
export function collectConsts(src: Source, re: RegExp, evalValue: (span: Span, consts: Map<string, string>) => string | null): Map<string, string> {
  const consts = new Map<string, string>();
  for (const m of scan(src, re)) {
    const start = m.index + m[0].length;
    let end = start;
    while (end < src.skel.length && src.skel[end] !== '\n' && src.skel[end] !== ';') end++;
    const value = evalValue({ start, end: trimEnd(src, start, end) }, consts);
    if (value !== null) consts.set(m[1]!, value);
  }
  return consts;
}

function trimEnd(src: Source, start: number, end: number): number {
  let e = end;
  while (e > start && /[\s,]/.test(src.skel[e - 1]!)) e--;
  return e;
}

/** The body span of the call/def whose opening bracket is at `open`. */
export function bodyOf(src: Source, open: number): Span | null {
  const close = matchBracket(src, open);
  return close < 0 ? null : { start: open, end: close + 1 };
}

export function argText(src: Source, span: Span | undefined): string {
  return span ? textOf(src, span).trim() : '';
}
