import { urlPath } from '../formats/k6Names';
import { type Lang, type Source, evalString, keywordArg, position, prepare, readLiteral, scan, skipSpace, splitArgs } from '../discovery/sourceText';
import type { DetectedLoadTest } from './plan';
import { bracketProblem, lineAt, xmlProblem } from './syntax';

/**
 * Load-test scripts, recognised by what they contain rather than by their names: a k6 script
 * imports k6/http, a Locust file defines a class deriving HttpUser or FastHttpUser, a JMeter plan
 * is XML with a jmeterTestPlan root, an Artillery script has `config:` with a `target:`, a
 * Gatling simulation extends Simulation. Pure: the inputs are a path and its text.
 */

export type ScriptFinding = { test: DetectedLoadTest } | { problem: string };

/** The load test `text` is, a parse problem of one, or null when it is none. */
export function detectLoadScript(file: string, text: string): ScriptFinding | null {
  const ext = /\.([A-Za-z0-9]+)$/.exec(file)?.[1]?.toLowerCase() ?? '';
  if (/^[cm]?[jt]sx?$/.test(ext)) return k6Script(file, text);
  if (ext === 'py') return locustScript(file, text);
  if (ext === 'jmx' || (ext === 'xml' && text.includes('<jmeterTestPlan'))) return jmeterPlan(file, text);
  if (ext === 'yml' || ext === 'yaml') return artilleryScript(file, text);
  if (ext === 'scala' || ext === 'java' || ext === 'kt') return gatlingSimulation(file, text, ext === 'kt' ? 'kotlin' : 'java');
  return null;
}

const couldNotParse = (file: string, why: string): ScriptFinding => ({ problem: `${file}: could not be parsed: ${why}` });

/** The quoted literal at or after `i` in the original text. */
function literalAt(src: Source, i: number, consts?: ReadonlyMap<string, string>): string | null {
  return readLiteral(src, skipSpace(src, i), consts)?.value ?? null;
}

/** `const NAME = expr` constants whose value is a string, where `a || 'default'` gives its default. */
function jsConsts(src: Source): Map<string, string> {
  const consts = new Map<string, string>();
  for (const m of scan(src, /\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=(?!=)\s*/)) {
    const start = m.index + m[0].length;
    let end = start;
    let depth = 0;
    while (end < src.skel.length) {
      const c = src.skel[end]!;
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') depth--;
      if (depth < 0 || (depth === 0 && (c === ';' || c === '\n' || c === ','))) break;
      end++;
    }
    const value = firstAlternative(src, start, end, consts);
    if (value !== null) consts.set(m[1]!, value);
  }
  return consts;
}

/** The first alternative of `a || b ?? c` that evaluates to a string. */
function firstAlternative(src: Source, start: number, end: number, consts: ReadonlyMap<string, string>): string | null {
  const skel = src.skel.slice(start, end);
  const cuts = [start];
  for (const m of skel.matchAll(/\|\||\?\?/g)) cuts.push(start + m.index!, start + m.index! + 2);
  cuts.push(end);
  for (let i = 0; i + 1 < cuts.length; i += 2) {
    const v = evalString(src, { start: cuts[i]!, end: cuts[i + 1]! }, consts);
    if (v !== null) return v;
  }
  return null;
}

function origin(url: string): string | null {
  return /^(https?:\/\/[^/?#\s]+)/i.exec(url)?.[1] ?? null;
}

/** "GET /path" from a method and a URL or path as a script writes it. */
function requestId(method: string, url: string): string {
  // An unknown leading substitution (`${__ENV.HOST}/x` -> ":HOST/x") is the base URL: drop it.
  const path = urlPath(url.replace(/^:[\w.]+(?=\/)/, ''));
  return `${method.toUpperCase()} ${path.startsWith('/') ? path : `/${path}`}`;
}

function k6Script(file: string, text: string): ScriptFinding | null {
  const src = prepare(text, 'js');
  let line: number | null = null;
  for (const m of scan(src, /\bfrom\s*(?=['"])|\bimport\s*(?=['"])|\brequire\s*\(\s*(?=['"])/)) {
    if (literalAt(src, m.index + m[0].length) === 'k6/http') {
      line = position(src, m.index).line + 1;
      break;
    }
  }
  if (line === null) return null;
  const problem = bracketProblem(src);
  if (problem) return couldNotParse(file, problem);
  const consts = jsConsts(src);
  const requests: string[] = [];
  const urls: string[] = [];
  const add = (method: string, span: { start: number; end: number } | undefined): void => {
    if (!span) return;
    const url = evalString(src, span, consts);
    if (url === null) return;
    urls.push(url);
    requests.push(requestId(method, url));
  };
  for (const m of scan(src, /\bhttp\s*\.\s*(get|post|put|patch|del|head|options|request|batch)\s*\(/)) {
    const parts = splitArgs(src, m.index + m[0].length - 1);
    if (!parts) continue;
    const verb = m[1]!;
    if (verb === 'request') {
      const method = parts.args[0] ? evalString(src, parts.args[0], consts) : null;
      if (method) add(method, parts.args[1]);
    } else if (verb === 'batch') {
      const list = parts.args[0];
      if (!list || src.skel[list.start] !== '[') continue;
      for (const item of splitArgs(src, list.start)?.args ?? []) {
        const c = src.skel[item.start];
        if (c === '[') {
          const tuple = splitArgs(src, item.start)?.args ?? [];
          const method = tuple[0] ? evalString(src, tuple[0], consts) : null;
          if (method) add(method, tuple[1]);
        } else if (c === '{') {
          const props = splitArgs(src, item.start)?.args ?? [];
          let method = 'GET';
          let url: { start: number; end: number } | undefined;
          for (const p of props) {
            const kw = keywordArg(src, p);
            if (kw?.name === 'method') method = evalString(src, kw.value, consts) ?? method;
            if (kw?.name === 'url') url = kw.value;
          }
          add(method, url);
        } else add('GET', item);
      }
    } else add(verb === 'del' ? 'DELETE' : verb.toUpperCase(), parts.args[0]);
  }
  const base = ['BASE_URL', 'BASE', 'BASEURL', 'HOST', 'TARGET', 'URL', 'API_URL', 'baseUrl', 'BASE_URI'].map((k) => consts.get(k)).find((v) => v && origin(v));
  const target = base ? base.replace(/\/+$/, '') : (urls.map(origin).find((o) => o !== null) ?? undefined);
  return { test: { tool: 'k6', file, line, ...(target ? { target } : {}), requests: unique(requests) } };
}

function locustScript(file: string, text: string): ScriptFinding | null {
  const src = prepare(text, 'python');
  let line: number | null = null;
  for (const m of scan(src, /^[ \t]*class\s+[A-Za-z_]\w*\s*\(([^)]*)\)\s*:/m)) {
    if (/(?:^|[\s,.])(?:HttpUser|FastHttpUser|HttpLocust)\s*(?:,|$)/.test(m[1]!)) {
      line = position(src, m.index).line + 1;
      break;
    }
  }
  if (line === null) return null;
  const problem = bracketProblem(src);
  if (problem) return couldNotParse(file, problem);
  let target: string | undefined;
  for (const m of scan(src, /^[ \t]+host\s*=\s*/m)) {
    const v = literalAt(src, m.index + m[0].length);
    if (v) {
      target = v.replace(/\/+$/, '');
      break;
    }
  }
  const requests: string[] = [];
  for (const m of scan(src, /\bself\s*\.\s*client\s*\.\s*(get|post|put|patch|delete|head|options|request)\s*\(/)) {
    const parts = splitArgs(src, m.index + m[0].length - 1);
    if (!parts) continue;
    const positional = parts.args.filter((a) => keywordArg(src, a) === null);
    const named = new Map(parts.args.map((a) => keywordArg(src, a)).filter((k) => k !== null).map((k) => [k.name, k.value]));
    let method = m[1]!.toUpperCase();
    let urlSpan = positional[0];
    if (method === 'REQUEST') {
      method = (positional[0] ? literalAt(src, positional[0].start) : null)?.toUpperCase() ?? 'GET';
      urlSpan = positional[1];
    }
    const nameSpan = named.get('name');
    const name = nameSpan ? literalAt(src, nameSpan.start) : null;
    const url = urlSpan ? (readLiteral(src, skipSpace(src, urlSpan.start))?.value ?? null) : null;
    if (name !== null) requests.push(`${method} ${name}`);
    else if (url !== null) requests.push(requestId(method, url));
  }
  return { test: { tool: 'locust', file, line, ...(target ? { target } : {}), requests: unique(requests) } };
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
function xmlText(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => XML_ENTITIES[e]!).replace(/\$\{__P\(\s*[\w.]+\s*,\s*([^)]*)\)\}/g, '$1');
}

function jmeterPlan(file: string, text: string): ScriptFinding | null {
  const root = text.indexOf('<jmeterTestPlan');
  if (root < 0) return null;
  const problem = xmlProblem(text);
  if (problem) return couldNotParse(file, problem);
  const props = (body: string): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const p of body.matchAll(/<stringProp\s+name="HTTPSampler\.(domain|port|protocol|path|method)"\s*>([^<]*)<\/stringProp>/g)) out[p[1]!] = xmlText(p[2]!).trim();
    return out;
  };
  let defaults: Record<string, string> = {};
  const d = /<ConfigTestElement\b[^>]*guiclass="HttpDefaultsGui"[^>]*>([\s\S]*?)<\/ConfigTestElement>/.exec(text);
  if (d) defaults = props(d[1]!);
  const requests: string[] = [];
  let target: string | undefined;
  for (const m of text.matchAll(/<HTTPSamplerProxy\b([^>]*)>([\s\S]*?)<\/HTTPSamplerProxy>/g)) {
    const p = { ...defaults, ...Object.fromEntries(Object.entries(props(m[2]!)).filter(([, v]) => v !== '')) };
    const label = /\btestname="([^"]*)"/.exec(m[1]!)?.[1];
    if (label) requests.push(xmlText(label));
    if (!target && p.domain) target = `${p.protocol || 'http'}://${p.domain}${p.port ? `:${p.port}` : ''}`;
  }
  if (!target && defaults.domain) target = `${defaults.protocol || 'http'}://${defaults.domain}${defaults.port ? `:${defaults.port}` : ''}`;
  return { test: { tool: 'jmeter', file, line: lineAt(text, root), ...(target ? { target } : {}), requests: unique(requests) } };
}

function artilleryScript(file: string, text: string): ScriptFinding | null {
  const config = /^config:[ \t]*(?:#.*)?$/m.exec(text);
  if (!config) return null;
  const targetM = /^[ \t]+target:[ \t]*["']?([^"'\s#]+)/m.exec(text.slice(config.index));
  if (!targetM) return null;
  const tab = /^ *\t/m.exec(text);
  if (tab) return couldNotParse(file, `a tab indents line ${lineAt(text, tab.index)} (YAML indents with spaces)`);
  const quote = /^[^#\n]*?:[ \t]*(["'])(?:(?!\1)[^\n])*$/m.exec(text);
  if (quote) return couldNotParse(file, `an unclosed quote at line ${lineAt(text, quote.index)}`);
  const requests: string[] = [];
  const re = /-[ \t]*(get|post|put|patch|delete|head|options)[ \t]*:[ \t]*(?:\{[^}\n]*?\burl:[ \t]*["']?([^"'\s,}]+)|\n[ \t]+url:[ \t]*["']?([^"'\s#]+))/g;
  for (const m of text.matchAll(re)) requests.push(requestId(m[1]!, m[2] ?? m[3]!));
  return { test: { tool: 'artillery', file, line: lineAt(text, config.index), target: targetM[1]!.replace(/\/+$/, ''), requests: unique(requests) } };
}

function gatlingSimulation(file: string, text: string, lang: Lang): ScriptFinding | null {
  const src = prepare(text, lang);
  const sim = /\bextends\s+Simulation\b|:\s*Simulation\s*\(\s*\)/.exec(src.skel);
  if (!sim) return null;
  const problem = bracketProblem(src);
  if (problem) return couldNotParse(file, problem);
  let target: string | undefined;
  for (const m of scan(src, /\.\s*baseUrl\s*\(/i)) {
    const v = literalAt(src, m.index + m[0].length);
    if (v) {
      target = v.replace(/\/+$/, '');
      break;
    }
  }
  const requests: string[] = [];
  for (const m of scan(src, /\.\s*(get|post|put|patch|delete|head|options)\s*\(/)) {
    const v = literalAt(src, m.index + m[0].length);
    if (v !== null) requests.push(requestId(m[1]!, v));
  }
  return { test: { tool: 'gatling', file, line: position(src, sim.index).line + 1, ...(target ? { target } : {}), requests: unique(requests) } };
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}

