import type { Source } from '../discovery/sourceText';
import { position } from '../discovery/sourceText';

/**
 * A script that cannot be parsed is reported and skipped, not half-read. These checks are what a
 * light lexer can tell for sure: brackets that do not pair up (over the skeleton, so brackets in
 * strings and comments do not count) and XML whose tags do not nest.
 */

const CLOSE: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** Null when brackets pair up; else why not, with the 1-based line. */
export function bracketProblem(src: Source): string | null {
  const s = src.skel;
  const stack: Array<{ close: string; at: number }> = [];
  for (let k = 0; k < s.length; k++) {
    const c = s[k]!;
    if (c === '(' || c === '[' || c === '{') stack.push({ close: CLOSE[c]!, at: k });
    else if (c === ')' || c === ']' || c === '}') {
      const top = stack.pop();
      if (!top) return `unexpected "${c}" at line ${position(src, k).line + 1}`;
      if (top.close !== c) return `"${c}" at line ${position(src, k).line + 1} does not close the bracket opened at line ${position(src, top.at).line + 1}`;
    }
  }
  const open = stack.pop();
  return open ? `the bracket opened at line ${position(src, open.at).line + 1} is never closed` : null;
}

/** 1-based line of an offset in plain text. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Null when the XML's elements nest and close; else why not, with the 1-based line. */
export function xmlProblem(text: string): string | null {
  const stack: Array<{ name: string; at: number }> = [];
  const re = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<(\/?)([A-Za-z_][\w.:-]*)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>|<|>/g;
  let roots = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[0] === '<') return `a "<" that starts no tag at line ${lineAt(text, m.index)}`;
    if (m[0] === '>') continue; // a ">" in text is allowed
    if (m[2] === undefined) {
      if (m[0].startsWith('<!--') || m[0].startsWith('<![CDATA[') || m[0].startsWith('<?') || m[0].startsWith('<!DOCTYPE')) continue;
      continue;
    }
    const [, closing, name, , selfClosing] = m;
    if (closing) {
      const top = stack.pop();
      if (!top || top.name !== name) {
        return top
          ? `</${name}> at line ${lineAt(text, m.index)} does not close <${top.name}> (line ${lineAt(text, top.at)})`
          : `</${name}> at line ${lineAt(text, m.index)} closes nothing`;
      }
    } else if (!selfClosing) {
      if (stack.length === 0) roots++;
      stack.push({ name: name!, at: m.index });
    } else if (stack.length === 0) roots++;
  }
  const open = stack.pop();
  if (open) return `<${open.name}> at line ${lineAt(text, open.at)} is never closed`;
  if (roots === 0) return 'no XML element';
  return null;
}
