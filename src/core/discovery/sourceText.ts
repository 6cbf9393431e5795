/**
 * A light lexer shared by the route scanners. `prepare()` keeps the text and builds a
 * "skeleton" of the same length in which comments and the contents of string literals are
 * blanked (newlines kept), so regexes run over the skeleton never match inside a comment or a
 * string and offsets stay valid in the original text, where literal values are read.
 */

export type Lang = 'js' | 'python' | 'go' | 'java' | 'kotlin' | 'rust' | 'erlang';

export interface Source {
  lang: Lang;
  text: string;
  /** Same length as text: comments and string contents replaced by spaces, quotes kept. */
  skel: string;
  lineStarts: number[];
}

export interface Span {
  start: number;
  /** Exclusive. */
  end: number;
}

export function prepare(text: string, lang: Lang): Source {
  // A BOM is dropped, as editors do, so columns on the first line match the document.
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lineStarts = [0];
  for (let i = src.indexOf('\n'); i >= 0; i = src.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  return { lang, text: src, skel: skeleton(src, lang), lineStarts };
}

/** 0-based line and column of an offset. */
export function position(src: Source, offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = src.lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (src.lineStarts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, column: offset - src.lineStarts[lo]! };
}

/**
 * Runs of characters at which the skeleton's lexer never acts, per language: all but comment and
 * string openers, JS braces (template substitutions), Rust raw-string prefixes and Erlang `$`.
 * The lexer copies such a run as is in one step (sticky: matched at lastIndex only).
 */
const INACTIVE_RUN: Record<Lang, RegExp> = {
  js: /[^/'"`{}]+/y,
  python: /[^#'"]+/y,
  go: /[^/'"`]+/y,
  java: /[^/'"]+/y,
  kotlin: /[^/'"]+/y,
  rust: /[^/'"br]+/y,
  erlang: /[^%'"$]+/y,
};

/** t[from..end) as spaces, its CRs and LFs kept (`crs`: whether t has any CR at all). */
function blanked(t: string, from: number, end: number, crs: boolean): string {
  const s = t.slice(from, end);
  if (!s.includes('\n') && !(crs && s.includes('\r'))) return ' '.repeat(s.length);
  return s.replace(/[^\n\r]+/g, spaces);
}

function spaces(run: string): string {
  return ' '.repeat(run.length);
}

/** Space, tab, CR, LF: what the lexer does not count as the last significant character. */
function isBlankCode(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

/**
 * The skeleton is the text with regions blanked in increasing order: `pieces` holds the text up to
 * `copied`, each blanked region's characters turned into spaces except CR and LF.
 */
function skeleton(t: string, lang: Lang): string {
  const n = t.length;
  const inactive = new RegExp(INACTIVE_RUN[lang].source, 'y');
  const pieces: string[] = [];
  const crs = t.includes('\r');
  let copied = 0;
  const blank = (start: number, to: number): void => {
    const from = Math.max(start, copied);
    const end = Math.min(to, n);
    if (from >= end) return;
    pieces.push(t.slice(copied, from), blanked(t, from, end, crs));
    copied = end;
  };
  const lineComment = lang === 'python' ? '#' : lang === 'erlang' ? '%' : '//';
  /** Ends a quoted string opened at i (quote q); returns the index after the closing quote. */
  const quoted = (i: number, q: string, multiline: boolean, escapes = true): number => {
    const qc = q.charCodeAt(0);
    let k = i + 1;
    for (let c = t.charCodeAt(k); k < n && c !== qc; c = t.charCodeAt(k)) {
      if (escapes && c === 92) k++;
      else if (c === 10 && !multiline) break;
      k++;
    }
    blank(i + 1, Math.min(k, n));
    return k < n && t[k] === q ? k + 1 : k;
  };
  // Brace depths at which a JS template literal resumes after a ${ … } substitution.
  const templates: number[] = [];
  let depth = 0;
  const template = (i: number): number => {
    // i is just after the opening backtick or the closing } of a substitution.
    let k = i;
    for (let c = t.charCodeAt(k); k < n && c !== 96; c = t.charCodeAt(k)) {
      if (c === 92) k += 2;
      else if (c === 36 && t.charCodeAt(k + 1) === 123) {
        blank(i, k);
        templates.push(depth);
        depth++;
        return k + 2;
      } else k++;
    }
    blank(i, k);
    return k + 1;
  };
  // The last significant token before a "/" tells a regex literal from a division (JS only).
  let lastAt = -1;
  let lastSignificant = '';
  const significant = (): string => {
    if (lastAt < 0) return lastSignificant;
    const c = t[lastAt]!;
    return /[\w$]/.test(c) ? wordEndingAt(t, lastAt) : c;
  };
  let i = 0;
  while (i < n) {
    inactive.lastIndex = i;
    if (inactive.test(t)) {
      let k = inactive.lastIndex - 1;
      while (k >= i && isBlankCode(t.charCodeAt(k))) k--;
      if (k >= i) lastAt = k;
      i = inactive.lastIndex;
      continue;
    }
    const c = t[i]!;
    if (t.startsWith(lineComment, i)) {
      let k = t.indexOf('\n', i);
      if (k < 0) k = n;
      blank(i, k);
      i = k;
      continue;
    }
    if (c === '/' && t[i + 1] === '*' && lang !== 'python' && lang !== 'erlang') {
      let k = i + 2;
      let nest = 1;
      if (lang !== 'rust') {
        // Only Rust nests block comments: elsewhere the first "*/" closes.
        const close = t.indexOf('*/', k);
        k = close < 0 ? n : close + 2;
        nest = 0;
      }
      while (k < n && nest > 0) {
        if (t.startsWith('*/', k)) {
          nest--;
          k += 2;
        } else if (lang === 'rust' && t.startsWith('/*', k)) {
          nest++;
          k += 2;
        } else k++;
      }
      blank(i, k);
      i = k;
      continue;
    }
    switch (lang) {
      case 'js':
        if (c === '"' || c === "'") {
          i = quoted(i, c, false);
          lastSignificant = c;
          lastAt = -1;
          continue;
        }
        if (c === '`') {
          i = template(i + 1);
          lastSignificant = '`';
          lastAt = -1;
          continue;
        }
        if (c === '{') depth++;
        if (c === '}') {
          if (templates.length > 0 && templates[templates.length - 1] === depth - 1) {
            templates.pop();
            depth--;
            i = template(i + 1);
            continue;
          }
          depth--;
        }
        if (c === '/' && regexCanStart(t, i, significant())) {
          let k = i + 1;
          let cls = false;
          while (k < n && t[k] !== '\n' && (cls || t[k] !== '/')) {
            if (t[k] === '\\') k++;
            else if (t[k] === '[') cls = true;
            else if (t[k] === ']') cls = false;
            k++;
          }
          if (k < n && t[k] === '/') {
            blank(i + 1, k);
            i = k + 1;
            lastSignificant = '/';
            lastAt = -1;
            continue;
          }
        }
        break;
      case 'python': {
        if (c === '"' || c === "'") {
          if (t.startsWith(c.repeat(3), i)) {
            const close = t.indexOf(c.repeat(3), i + 3);
            const k = close < 0 ? n : close;
            blank(i + 3, k);
            i = close < 0 ? n : k + 3;
          } else i = quoted(i, c, false);
          continue;
        }
        break;
      }
      case 'go':
        if (c === '"' || c === "'") {
          i = quoted(i, c, false);
          continue;
        }
        if (c === '`') {
          i = quoted(i, '`', true, false);
          continue;
        }
        break;
      case 'java':
      case 'kotlin':
        if (c === '"' && t.startsWith('"""', i)) {
          const close = t.indexOf('"""', i + 3);
          const k = close < 0 ? n : close;
          blank(i + 3, k);
          i = close < 0 ? n : k + 3;
          continue;
        }
        if (c === '"' || c === "'") {
          i = quoted(i, c, false);
          continue;
        }
        break;
      case 'rust': {
        const raw = /^b?r(#*)"/.exec(t.slice(i, i + 12));
        if (raw && !/\w/.test(t[i - 1] ?? '')) {
          const close = `"${raw[1]}`;
          const open = i + raw[0].length;
          const end = t.indexOf(close, open);
          const k = end < 0 ? n : end;
          blank(open, k);
          i = end < 0 ? n : k + close.length;
          continue;
        }
        if (c === '"') {
          i = quoted(i, '"', true);
          continue;
        }
        if (c === "'") {
          // A char literal ('a', '\n', '\u{1F600}') or a lifetime ('a, 'static): only the former closes.
          const ch = /^'(\\(u\{[0-9a-fA-F]+\}|x[0-9a-fA-F]{2}|.)|[^\\'])'/.exec(t.slice(i, i + 12));
          if (ch) {
            blank(i + 1, i + ch[0].length - 1);
            i += ch[0].length;
            continue;
          }
        }
        break;
      }
      case 'erlang':
        if (c === '$') {
          blank(i + 1, i + (t[i + 1] === '\\' ? 3 : 2));
          i += t[i + 1] === '\\' ? 3 : 2;
          continue;
        }
        if (c === '"' || c === "'") {
          i = quoted(i, c, true);
          continue;
        }
        break;
    }
    if (c !== ' ' && c !== '\n' && c !== '\t' && c !== '\r') lastAt = i;
    i++;
  }
  pieces.push(t.slice(copied));
  return pieces.join('');
}

function wordEndingAt(t: string, i: number): string {
  let k = i;
  while (k > 0 && /[\w$]/.test(t[k - 1]!)) k--;
  return t.slice(k, i + 1);
}

/** After these a "/" starts a regex literal rather than a division. */
function regexCanStart(t: string, i: number, last: string): boolean {
  if (t[i + 1] === '/' || t[i + 1] === '*') return false;
  if (last === '') return true;
  if (/^[(,=:[!&|?{};+\-*%<>~^]$/.test(last)) return true;
  return /^(return|typeof|case|do|else|in|of|new|delete|void|throw|yield|await)$/.test(last);
}

const CLOSE: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** Index of the bracket closing the one at `open` (skeleton-based), or -1. */
export function matchBracket(src: Source, open: number): number {
  const s = src.skel;
  const stack: string[] = [];
  for (let k = open; k < s.length; k++) {
    const c = s[k]!;
    if (c === '(' || c === '[' || c === '{') stack.push(CLOSE[c]!);
    else if (c === ')' || c === ']' || c === '}') {
      if (stack.pop() !== c) return -1;
      if (stack.length === 0) return k;
    }
  }
  return -1;
}

/** Top-level comma-separated arguments between the bracket at `open` and its match. */
export function splitArgs(src: Source, open: number): { args: Span[]; end: number } | null {
  const close = matchBracket(src, open);
  if (close < 0) return null;
  const s = src.skel;
  const args: Span[] = [];
  let depth = 0;
  let start = open + 1;
  const push = (end: number): void => {
    let a = start;
    let b = end;
    while (a < b && /\s/.test(s[a]!)) a++;
    while (b > a && /\s/.test(s[b - 1]!)) b--;
    if (b > a) args.push({ start: a, end: b });
  };
  for (let k = open + 1; k < close; k++) {
    const c = s[k]!;
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      push(k);
      start = k + 1;
    }
  }
  push(close);
  return { args, end: close + 1 };
}

export function textOf(src: Source, span: Span): string {
  return src.text.slice(span.start, span.end);
}

/** `name=value` / `name: value` keyword argument: the name and the value's span, or null. */
export function keywordArg(src: Source, span: Span): { name: string; value: Span } | null {
  const m = /^([A-Za-z_]\w*)\s*(?:=(?!=)|:(?!:))\s*/.exec(src.skel.slice(span.start, span.end));
  if (!m) return null;
  return { name: m[1]!, value: { start: span.start + m[0].length, end: span.end } };
}

export interface Literal {
  value: string;
  end: number;
}

/**
 * The string literal starting at `i` in the original text, decoded. Template literals and
 * f-strings substitute known constants; an unknown substitution becomes a ":name" parameter.
 */
export function readLiteral(src: Source, i: number, consts: ReadonlyMap<string, string> = new Map()): Literal | null {
  const t = src.text;
  let k = i;
  let raw = false;
  let fmt = false;
  if (src.lang === 'python') {
    const p = /^[rRbBuUfF]{0,2}(?=['"])/.exec(t.slice(k, k + 3));
    if (!p) return null;
    raw = /r/i.test(p[0]);
    fmt = /f/i.test(p[0]);
    k += p[0].length;
  } else if (src.lang === 'rust') {
    const p = /^b?r(#*)"/.exec(t.slice(k, k + 12));
    if (p) {
      const close = t.indexOf(`"${p[1]}`, k + p[0].length);
      if (close < 0) return null;
      return { value: t.slice(k + p[0].length, close), end: close + 1 + p[1]!.length };
    }
    if (t[k] === 'b' && t[k + 1] === '"') k++;
  } else if (src.lang === 'erlang' && t.startsWith('<<"', k)) {
    const inner = readLiteral(src, k + 2, consts);
    return inner && t.startsWith('>>', inner.end) ? { value: inner.value, end: inner.end + 2 } : null;
  }
  const q = t[k];
  if (q === undefined) return null;
  const quotes = src.lang === 'js' ? '"\'`' : src.lang === 'python' ? '"\'' : src.lang === 'go' ? '"`' : '"';
  if (!quotes.includes(q)) return null;
  if (src.lang === 'go' && q === '`') raw = true;
  const triple = (src.lang === 'python' || src.lang === 'java' || src.lang === 'kotlin') && t.startsWith(q.repeat(3), k);
  const closeWith = triple ? q.repeat(3) : q;
  k += closeWith.length;
  let value = '';
  while (k < t.length && !t.startsWith(closeWith, k)) {
    const c = t[k]!;
    if (c === '\n' && !triple && q !== '`' && src.lang !== 'rust') return null;
    if (c === '\\' && !raw) {
      const e = t[k + 1] ?? '';
      value += e === 'n' ? '\n' : e === 't' ? '\t' : e;
      k += 2;
      continue;
    }
    if (q === '`' && src.lang === 'js' && c === '$' && t[k + 1] === '{') {
      const close = matchBracket(src, k + 1);
      if (close < 0) return null;
      value += substitution(t.slice(k + 2, close), consts);
      k = close + 1;
      continue;
    }
    if (fmt && c === '{') {
      if (t[k + 1] === '{') {
        value += '{';
        k += 2;
        continue;
      }
      const close = t.indexOf('}', k);
      if (close < 0) return null;
      value += substitution(t.slice(k + 1, close).replace(/[!:].*$/, ''), consts);
      k = close + 1;
      continue;
    }
    if (fmt && c === '}' && t[k + 1] === '}') {
      value += '}';
      k += 2;
      continue;
    }
    value += c;
    k++;
  }
  if (k >= t.length) return null;
  return { value, end: k + closeWith.length };
}

function substitution(expr: string, consts: ReadonlyMap<string, string>): string {
  const name = expr.trim();
  const known = consts.get(name);
  if (known !== undefined) return known;
  const id = /([A-Za-z_]\w*)\W*$/.exec(name)?.[1] ?? 'param';
  return `:${id}`;
}

/**
 * A string-valued expression: literals, known constants and `+` between them
 * ("/api" + "/users", API_PREFIX + "/users", `${BASE}/users`). Null when anything else is in it.
 */
export function evalString(src: Source, span: Span, consts: ReadonlyMap<string, string>): string | null {
  let k = span.start;
  let out = '';
  const t = src.text;
  for (;;) {
    while (k < span.end && /\s/.test(t[k]!)) k++;
    const lit = readLiteral(src, k, consts);
    if (lit && lit.end <= span.end) {
      out += lit.value;
      k = lit.end;
    } else {
      const id = /^[A-Za-z_$][\w$]*(?:(?:\.|::)[A-Za-z_$][\w$]*)*/.exec(t.slice(k, span.end));
      if (!id) return null;
      const known = consts.get(id[0]) ?? consts.get(id[0].replace(/^.*(?:\.|::)/, ''));
      if (known === undefined) return null;
      out += known;
      k += id[0].length;
    }
    while (k < span.end && /\s/.test(t[k]!)) k++;
    if (k >= span.end) return out;
    if (t[k] !== '+') return null;
    k++;
  }
}

/** Every string in a list literal ([..], {..}, arrayOf(..), (..,)) or the single string. */
export function evalStrings(src: Source, span: Span, consts: ReadonlyMap<string, string>): string[] | null {
  const one = evalString(src, span, consts);
  if (one !== null) return [one];
  const m = /^(?:arrayOf|listOf|setOf|List\.of|Arrays\.asList|new\s+String\s*\[\s*\])?\s*([[({])/.exec(src.skel.slice(span.start, span.end));
  if (!m) return null;
  const open = span.start + m[0].length - 1;
  const parts = splitArgs(src, open);
  if (!parts || parts.end !== span.end) return null;
  const out: string[] = [];
  for (const a of parts.args) {
    const v = evalString(src, a, consts);
    if (v === null) return null;
    out.push(v);
  }
  return out;
}

/** The identifier (or dotted / :: chain) that a span consists of, or null. */
export function identifierOf(src: Source, span: Span): string | null {
  const s = textOf(src, span).trim();
  return /^[A-Za-z_$][\w$]*(?:(?:\.|::|->)[A-Za-z_$][\w$]*)*$/.test(s) ? s : null;
}

/** Offset of the first non-space character at or after i in the skeleton. */
export function skipSpace(src: Source, i: number): number {
  let k = i;
  while (k < src.skel.length && /\s/.test(src.skel[k]!)) k++;
  return k;
}

/** All matches of a global regex over the skeleton. */
export function* scan(src: Source, re: RegExp): Generator<RegExpExecArray> {
  const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  let m: RegExpExecArray | null;
  while ((m = g.exec(src.skel)) !== null) {
    if (m[0] === '') g.lastIndex++;
    yield m;
  }
}
