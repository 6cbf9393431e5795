import { languageOf } from './findRoutes';
import { position, type Source, prepare } from './sourceText';

/**
 * The lines a handler's code occupies (0-based, inclusive), from the line discovery places it on.
 * Read over the lexer's skeleton (sourceText.ts: comments, string, template-literal and regex
 * contents blanked), so brackets inside them never count.
 *
 * - JS/TS, Go, Java, Kotlin, Rust: decorator / annotation / attribute lines directly above (or
 *   at) the line are included (`@Get()`, `@GetMapping("/x")`, `#[get("/x")]`); then brackets are
 *   balanced from the declaration: a `}` that brings the depth back to 0 ends it (a function or
 *   method body, `const h = () => {…};`), as does a `;` at depth 0, or a `)`/`]` at depth 0 with
 *   nothing after it on its line unless the next line goes on (`{` on its own line, `throws`,
 *   `where`, `->`, `=>`, `:`): `app.get('/x', (req, res) => {…});`, `r.HandleFunc("/x", func(w,
 *   r) {…})`, Kotlin `fun h() = ok()`. Chained calls on later lines (`.post(…)`) are not taken in:
 *   each route of a chain is its own line.
 * - Python: decorators above, the `def`/`async def` header (multi-line parameters and return
 *   annotation), then the indented body; blank and comment lines inside are included, trailing
 *   ones are not. A line that is not a `def` (Django `path(...)`, `add_url_rule(...)`) is one
 *   bracket-balanced statement.
 * - Erlang: a dispatch tuple line (`{"/x", x_handler, []}`) ends at the tuple's closing `}`; any
 *   other line runs to the `.` that ends the form (a `.` followed by white space or the end).
 * - Anything else, or brackets that do not balance: up to the line before the next blank line
 *   that is followed by a line at the same or lower indentation (or the last non-blank line);
 *   start..start when the line is blank or out of range.
 */
export function handlerExtent(relPath: string, content: string, line: number): { start: number; end: number } {
  const lang = languageOf(relPath);
  const lines = content.replace(/^\ufeff/, '').split(/\r\n|\n/);
  if (line < 0 || line >= lines.length) {
    const l = Math.max(0, Math.min(line, lines.length - 1));
    return { start: l, end: l };
  }
  if (lang) {
    const src = prepare(content, lang);
    const found = lang === 'python' ? pythonExtent(src, line) : lang === 'erlang' ? erlangExtent(src, line) : braceExtent(src, line);
    if (found) return found;
  }
  return paragraphExtent(lines, line);
}

const OPEN = '([{';
const CLOSE = ')]}';

function skelLines(src: Source): string[] {
  return src.skel.split(/\r?\n/);
}

function indentOf(s: string): number {
  return /^[ \t]*/.exec(s)![0].replace(/\t/g, '    ').length;
}

function lineOf(src: Source, offset: number): number {
  return position(src, offset).line;
}

/** The index after the brackets opened at `open` close, on the skeleton; -1 when they do not. */
function closeOf(s: string, open: number): number {
  let depth = 0;
  for (let k = open; k < s.length; k++) {
    const c = s[k]!;
    if (OPEN.includes(c)) depth++;
    else if (CLOSE.includes(c) && --depth === 0) return k;
  }
  return -1;
}

function isDecorator(trimmed: string, lang: Source['lang']): boolean {
  if (lang === 'rust') return trimmed.startsWith('#[');
  return /^@[A-Za-z_]/.test(trimmed);
}

/**
 * The first line of the decorators directly above `decl` (which may itself be one: then the
 * declaration is found below), and the declaration's line. Multi-line decorator arguments count.
 */
function decorated(src: Source, sk: string[], line: number): { first: number; decl: number } | null {
  const lang = src.lang;
  let decl = line;
  // Forward over decorators to the declaration when discovery gave a decorator line.
  while (decl < sk.length && isDecorator(sk[decl]!.trim(), lang)) {
    const at = src.lineStarts[decl]! + sk[decl]!.indexOf(lang === 'rust' ? '#' : '@');
    const open = src.skel.slice(at, src.lineStarts[decl]! + sk[decl]!.length).search(/[([]/);
    let last = decl;
    if (open >= 0) {
      const close = closeOf(src.skel, at + open);
      if (close < 0) return null;
      last = lineOf(src, close);
    }
    decl = last + 1;
    while (decl < sk.length && sk[decl]!.trim() === '') decl++;
  }
  if (decl >= sk.length) return null;
  let first = Math.min(line, decl);
  for (let k = first - 1; k >= 0; k--) {
    const t = sk[k]!.trim();
    if (t === '') break;
    if (isDecorator(t, lang)) {
      first = k;
      continue;
    }
    // The last line of a multi-line decorator: find where its brackets open.
    const lastClose = Math.max(sk[k]!.lastIndexOf(')'), sk[k]!.lastIndexOf(']'));
    if (lastClose < 0) break;
    const openAt = openOf(src.skel, src.lineStarts[k]! + lastClose);
    if (openAt < 0) break;
    const ol = lineOf(src, openAt);
    if (ol >= k || !isDecorator(sk[ol]!.trim(), lang)) break;
    first = ol;
    k = ol;
  }
  return { first, decl };
}

function openOf(s: string, close: number): number {
  let depth = 0;
  for (let k = close; k >= 0; k--) {
    const c = s[k]!;
    if (CLOSE.includes(c)) depth++;
    else if (OPEN.includes(c) && --depth === 0) return k;
  }
  return -1;
}

/** A next line that carries on a declaration whose parameters closed above (Allman braces, `throws`, `where`, a return type). */
const GOES_ON = /^(\{|throws\b|where\b|->|=>|:)/;

/** Line ends after which a statement goes on (`=`, `=>`, `,`, an operator). */
const CONTINUES = /(=>?|,|:|\+|-|\*|&&|\|\||\?|\.|\|)$/;

function braceExtent(src: Source, line: number): { start: number; end: number } | null {
  const sk = skelLines(src);
  const d = decorated(src, sk, line);
  if (!d) return null;
  const s = src.skel;
  let depth = 0;
  let opened = false;
  for (let k = src.lineStarts[d.decl]!; k < s.length; k++) {
    const c = s[k]!;
    if (OPEN.includes(c)) {
      depth++;
      opened = true;
    } else if (CLOSE.includes(c)) {
      depth--;
      if (depth < 0) return null;
      if (depth > 0) continue;
      const l = lineOf(src, k);
      if (c === '}') return { start: d.first, end: l };
      const rest = s.slice(k + 1, src.lineStarts[l]! + sk[l]!.length).trim();
      if (rest === '' || /^[;,]/.test(rest)) {
        const next = nextNonBlank(sk, l);
        if (next === undefined || !GOES_ON.test(next.trim())) return { start: d.first, end: l };
      }
    } else if (c === ';' && depth === 0) {
      return { start: d.first, end: lineOf(src, k) };
    } else if (c === '\n' && depth === 0 && !opened) {
      // A line with no brackets yet: `export const GET = handler` ends here unless it goes on.
      const l = lineOf(src, k);
      const next = nextNonBlank(sk, l);
      if (!CONTINUES.test(sk[l]!.trim()) && !GOES_ON.test((next ?? '').trim())) return { start: d.first, end: l };
    }
  }
  return null;
}

function nextNonBlank(sk: string[], l: number): string | undefined {
  for (let k = l + 1; k < sk.length; k++) if (sk[k]!.trim() !== '') return sk[k];
  return undefined;
}

function pythonExtent(src: Source, line: number): { start: number; end: number } | null {
  const sk = skelLines(src);
  const d = decorated(src, sk, line);
  if (!d) return null;
  const s = src.skel;
  const header = sk[d.decl]!;
  if (!/^\s*(async\s+)?def\b/.test(header)) {
    // One statement: brackets balanced, then the end of that line.
    let depth = 0;
    for (let k = src.lineStarts[d.decl]!; k < s.length; k++) {
      const c = s[k]!;
      if (OPEN.includes(c)) depth++;
      else if (CLOSE.includes(c) && --depth < 0) return null;
      else if (c === '\n' && depth === 0 && s[k - 1] !== '\\') return { start: d.first, end: lineOf(src, k) };
    }
    return depth === 0 ? { start: d.first, end: sk.length - 1 } : null;
  }
  // The header ends at the first ':' at depth 0 after `def`.
  let depth = 0;
  let colon = -1;
  for (let k = src.lineStarts[d.decl]!; k < s.length; k++) {
    const c = s[k]!;
    if (OPEN.includes(c)) depth++;
    else if (CLOSE.includes(c) && --depth < 0) return null;
    else if (c === ':' && depth === 0) {
      colon = k;
      break;
    }
  }
  if (colon < 0) return null;
  const headerEnd = lineOf(src, colon);
  const after = s.slice(colon + 1, src.lineStarts[headerEnd]! + sk[headerEnd]!.length).trim();
  if (after !== '') return { start: d.first, end: headerEnd }; // def f(): return 1
  const base = indentOf(header);
  const text = src.text.split(/\r?\n/);
  let last = headerEnd;
  depth = 0;
  for (let l = headerEnd + 1; l < sk.length; l++) {
    const t = sk[l]!;
    const inBrackets = depth > 0;
    for (const c of t) {
      if (OPEN.includes(c)) depth++;
      else if (CLOSE.includes(c)) depth--;
    }
    if (inBrackets) {
      last = l;
      continue;
    }
    if ((text[l] ?? '').trim() === '') continue;
    if (t.trim() === '') {
      // A comment or the inside of a multi-line string: part of the body when indented under it.
      if (indentOf(text[l]!) > base) last = l;
      continue;
    }
    if (indentOf(t) <= base) break;
    last = l;
  }
  return { start: d.first, end: last };
}

function erlangExtent(src: Source, line: number): { start: number; end: number } | null {
  const sk = skelLines(src);
  const s = src.skel;
  const begin = src.lineStarts[line]! + indentOf(sk[line]!);
  if (s[begin] === '{') {
    const close = closeOf(s, begin);
    return close < 0 ? null : { start: line, end: lineOf(src, close) };
  }
  let depth = 0;
  for (let k = begin; k < s.length; k++) {
    const c = s[k]!;
    if (OPEN.includes(c)) depth++;
    else if (CLOSE.includes(c) && --depth < 0) return null;
    else if (c === '.' && depth === 0 && (k + 1 >= s.length || /\s/.test(s[k + 1]!))) return { start: line, end: lineOf(src, k) };
  }
  return null;
}

function paragraphExtent(lines: string[], line: number): { start: number; end: number } {
  if (lines[line]!.trim() === '') return { start: line, end: line };
  const base = indentOf(lines[line]!);
  let end = line;
  for (let l = line + 1; l < lines.length; l++) {
    if (lines[l]!.trim() !== '') {
      end = l;
      continue;
    }
    let n = l + 1;
    while (n < lines.length && lines[n]!.trim() === '') n++;
    if (n >= lines.length || indentOf(lines[n]!) <= base) break;
    l = n - 1;
  }
  return { start: line, end };
}
