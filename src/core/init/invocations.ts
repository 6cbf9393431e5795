import { urlPath } from '../formats/k6Names';
import type { DetectedLoadTest, LoadTool } from './plan';
import { lineAt } from './syntax';

/**
 * Command-line load tools (autocannon, hey, wrk, ab, oha, vegeta) invoked from package.json
 * scripts, Makefile recipes and shell scripts: the command line with its variables expanded, the
 * URL it loads, the file it writes (`> perf/results/hey-stock.csv`), and how to run what holds it
 * (`make -s load`, `npm run bench`, `sh scripts/load.sh`). Pure: inputs are a path and its text.
 */

/** One command line of a file, with how to run the target / script it belongs to. */
export interface CommandLine {
  file: string;
  /** 1-based. */
  line: number;
  text: string;
  /** How to run it: "make -s load", "npm run bench"; null when it cannot be run by itself. */
  runner: string | null;
  /** Workspace-relative folder the command runs in ("" for the workspace). */
  cwd: string;
}

const CLI_TOOLS: ReadonlySet<string> = new Set(['autocannon', 'hey', 'wrk', 'ab', 'oha', 'vegeta']);
const WRAPPERS: ReadonlySet<string> = new Set(['npx', 'bunx', 'exec', 'time', 'command', 'nohup', 'env', 'sudo']);

function dirOf(file: string): string {
  const i = file.lastIndexOf('/');
  return i < 0 ? '' : file.slice(0, i);
}

/** "a/b" + "../c/d.csv" -> "a/c/d.csv" (workspace-relative, "/" separators). */
export function joinRelative(dir: string, p: string): string {
  const parts = dir === '' ? [] : dir.split('/');
  for (const seg of p.replace(/\\/g, '/').split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return parts.join('/');
}

/** package.json "scripts": one command line each; a problem when the file is not JSON. */
export function packageJsonCommands(file: string, text: string): { lines: CommandLine[]; problem?: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { lines: [], problem: `${file}: could not be parsed: ${(e as Error).message}` };
  }
  const scripts = (json as { scripts?: unknown })?.scripts;
  if (!scripts || typeof scripts !== 'object') return { lines: [] };
  const dir = dirOf(file);
  const lines: CommandLine[] = [];
  for (const [name, value] of Object.entries(scripts as Record<string, unknown>)) {
    if (typeof value !== 'string') continue;
    const at = text.indexOf(JSON.stringify(name));
    const run = name === 'start' || name === 'test' ? `npm ${name}` : `npm run ${/^[\w:.-]+$/.test(name) ? name : JSON.stringify(name)}`;
    lines.push({ file, line: at < 0 ? 1 : lineAt(text, at), text: value, runner: dir === '' ? run : `${run} --prefix ${dir}`, cwd: dir });
  }
  return { lines };
}

/** Physical lines joined at a trailing backslash, each with its first line number. */
function logicalLines(text: string): Array<{ line: number; text: string }> {
  const out: Array<{ line: number; text: string }> = [];
  const raw = text.split(/\r?\n/);
  for (let i = 0; i < raw.length; i++) {
    const first = i;
    let t = raw[i]!;
    while (t.endsWith('\\') && i + 1 < raw.length) t = `${t.slice(0, -1).trimEnd()} ${raw[++i]!.replace(/^\s+/, '')}`;
    out.push({ line: first + 1, text: t });
  }
  return out;
}

/** Expands $(VAR) and ${VAR} (Make), or $VAR, ${VAR}, ${VAR:-default} (shell), a few levels deep. */
function expand(text: string, vars: ReadonlyMap<string, string>, make: boolean): string {
  let out = text;
  for (let depth = 0; depth < 5; depth++) {
    const before = out;
    out = make
      ? out.replace(/\$[({]([A-Za-z_][\w.-]*)[)}]/g, (all, name: string) => vars.get(name) ?? all)
      : out
          .replace(/\$\{([A-Za-z_]\w*)(?::?[-=]([^}]*))?\}/g, (all, name: string, def: string | undefined) => vars.get(name) ?? def ?? all)
          .replace(/\$([A-Za-z_]\w*)/g, (all, name: string) => vars.get(name) ?? all);
    if (out === before) break;
  }
  return make ? out.replace(/\$\$/g, '$') : out;
}

/** Makefile recipe lines, variables expanded, each with `make -s [-C dir] TARGET` as its runner. */
export function makefileCommands(file: string, text: string): CommandLine[] {
  const vars = new Map<string, string>();
  const dir = dirOf(file);
  const lines: CommandLine[] = [];
  let target: string | null = null;
  for (const l of logicalLines(text)) {
    if (l.text.startsWith('\t')) {
      if (target === null) continue;
      const cmd = expand(l.text.replace(/^\t[@+-]*\s*/, ''), vars, true);
      if (cmd.trim() === '' || cmd.trim().startsWith('#')) continue;
      lines.push({ file, line: l.line, text: cmd, runner: `make -s${dir === '' ? '' : ` -C ${dir}`} ${target}`, cwd: dir });
      continue;
    }
    const assign = /^(?:export\s+|override\s+)?([A-Za-z_][\w.-]*)\s*(\?|:{1,3}|\+|!)?=\s*(.*)$/.exec(l.text);
    if (assign) {
      const [, name, op, value] = assign;
      const v = value!.replace(/\s+#.*$/, '').trim();
      if (op === '?' && vars.has(name!)) continue;
      vars.set(name!, op === '+' ? `${vars.get(name!) ?? ''} ${v}`.trim() : op === ':' || op === '::' ? expand(v, vars, true) : v);
      continue;
    }
    const rule = /^([^\s:#=][^:#=]*?)\s*::?(?!=)(.*)$/.exec(l.text);
    if (rule) {
      const name = rule[1]!.trim().split(/\s+/)[0]!;
      target = name.startsWith('.') ? null : name;
      // "target: deps ; command"
      const inline = /;(.*)$/.exec(rule[2]!);
      if (inline && target) lines.push({ file, line: l.line, text: expand(inline[1]!, vars, true), runner: `make -s${dir === '' ? '' : ` -C ${dir}`} ${target}`, cwd: dir });
      continue;
    }
    if (l.text.trim() === '' || l.text.startsWith('#')) continue;
  }
  return lines;
}

/** Shell script lines, variables expanded; the script runs from the workspace as `sh FILE`. */
export function shellCommands(file: string, text: string): CommandLine[] {
  const vars = new Map<string, string>();
  const lines: CommandLine[] = [];
  for (const l of logicalLines(text)) {
    const t = l.text.trim();
    if (t === '' || t.startsWith('#')) continue;
    const assign = /^(?:export\s+|readonly\s+|local\s+)?([A-Za-z_]\w*)=("([^"]*)"|'([^']*)'|(\S*))\s*$/.exec(t);
    if (assign) {
      vars.set(assign[1]!, expand(assign[3] ?? assign[4] ?? assign[5] ?? '', vars, false));
      continue;
    }
    lines.push({ file, line: l.line, text: expand(t, vars, false), runner: `sh ${file}`, cwd: '' });
  }
  return lines;
}

/** Splits a command line into its commands at && || ; | (outside quotes). */
function commands(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (q) {
      if (c === q) q = null;
      cur += c;
    } else if (c === '"' || c === "'") {
      q = c;
      cur += c;
    } else if (c === ';' || c === '|' || (c === '&' && text[i + 1] === '&')) {
      if (c !== ';' && text[i + 1] === c) i++;
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

/** Shell words (quotes removed), with redirections split off: "a >out" -> ["a", ">", "out"]. */
function words(text: string): string[] {
  const out: string[] = [];
  const re = /(\d?>>?|<)|"([^"]*)"|'([^']*)'|([^\s"'<>]+)/g;
  let word: string | null = null;
  let last = -1;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const glued = m.index === last && word !== null && m[1] === undefined;
    const piece = m[1] ?? m[2] ?? m[3] ?? m[4] ?? '';
    if (m[1] !== undefined) {
      if (word !== null) out.push(word);
      out.push(m[1].replace(/^\d/, ''));
      word = null;
    } else if (glued) word += piece;
    else {
      if (word !== null) out.push(word);
      word = piece;
    }
    last = re.lastIndex;
  }
  if (word !== null) out.push(word);
  return out;
}

/** The load-tool invocations among command lines. */
export function invocationsIn(lines: readonly CommandLine[]): DetectedLoadTest[] {
  const out: DetectedLoadTest[] = [];
  for (const l of lines) {
    const parts = commands(l.text);
    parts.forEach((part, i) => {
      const w = words(part);
      let k = 0;
      while (k < w.length && (/^[A-Za-z_]\w*=/.test(w[k]!) || WRAPPERS.has(w[k]!) || (w[k - 1] === 'npx' && w[k]!.startsWith('-')))) k++;
      const tool = (w[k] ?? '').replace(/^.*\//, '');
      if (!CLI_TOOLS.has(tool)) return;
      const args = w.slice(k + 1);
      if (tool === 'vegeta' && args[0] !== 'attack') return; // `vegeta report` loads nothing
      // vegeta reads its targets from stdin: `echo "GET http://…" | vegeta attack`.
      const search = tool === 'vegeta' ? [...words(parts.slice(0, i).join(' ')).flatMap((x) => x.split(/\s+/)), ...args] : args;
      const url = search.find((a) => /^https?:\/\//i.test(a));
      let method = 'GET';
      for (let j = 0; j < search.length; j++) {
        if ((search[j] === '-m' || search[j] === '--method') && search[j + 1]) method = search[j + 1]!.toUpperCase();
        if (tool === 'vegeta' && /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$/.test(search[j]!) && /^https?:\/\//.test(search[j + 1] ?? '')) method = search[j]!;
      }
      let output: string | undefined;
      for (let j = 0; j < args.length; j++) {
        if ((args[j] === '>' || args[j] === '>>') && args[j + 1]) output = args[j + 1];
        if (tool === 'oha' && (args[j] === '-o' || args[j] === '--output') && args[j + 1]) output = args[j + 1];
      }
      // A redirect after the pipeline's last command (`hey … | tee f`) is not followed.
      if (output === undefined && i + 1 < parts.length) {
        const next = words(parts[i + 1]!);
        if (next[0] === 'tee' && next[1] && !next[1].startsWith('-')) output = next[1];
      }
      const test: DetectedLoadTest = { tool: tool as LoadTool, file: l.file, line: l.line, command: part };
      if (url) {
        test.target = url;
        test.requests = [`${method} ${urlPath(url)}`];
      }
      if (l.runner) test.runner = l.runner;
      if (output && !/^\/dev\//.test(output) && !output.includes('$')) test.output = joinRelative(l.cwd, output);
      out.push(test);
    });
  }
  return out;
}
