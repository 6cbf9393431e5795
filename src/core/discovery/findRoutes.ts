import { erlangRoutes } from './erlangRoutes';
import { fileRoutes } from './fileRoutes';
import { goRoutes } from './goRoutes';
import { javascriptRoutes } from './javascriptRoutes';
import { nestRoutes } from './nestRoutes';
import { pythonRoutes } from './pythonRoutes';
import type { RouteDefinition } from './routeDefinition';
import { rustRoutes } from './rustRoutes';
import { type Lang, prepare } from './sourceText';
import { springRoutes } from './springRoutes';

const EXTENSIONS: Record<string, Lang> = {
  js: 'js', jsx: 'js', mjs: 'js', cjs: 'js', ts: 'js', tsx: 'js', mts: 'js', cts: 'js',
  py: 'python', go: 'go', java: 'java', kt: 'kotlin', kts: 'kotlin', rs: 'rust', erl: 'erlang',
};

/** File extensions findRoutes reads, for a file watcher's glob. */
export const ROUTE_SOURCE_EXTENSIONS: readonly string[] = Object.keys(EXTENSIONS);

/** The language a file is scanned as, by extension; null when findRoutes ignores it. */
export function languageOf(relPath: string): Lang | null {
  if (/\.d\.[cm]?ts$/.test(relPath)) return null;
  const ext = /\.([A-Za-z]+)$/.exec(relPath)?.[1]?.toLowerCase();
  return (ext && EXTENSIONS[ext]) || null;
}

/**
 * Every HTTP route defined in one source file, found statically from its contents. The path is
 * only used for the language (by extension) and for file-based routing (Next.js, Vercel).
 * Sorted by line, then column.
 */
export function findRoutes(relPath: string, content: string): RouteDefinition[] {
  const lang = languageOf(relPath);
  if (!lang) return [];
  const src = prepare(content, lang);
  let routes: RouteDefinition[];
  switch (lang) {
    case 'js':
      routes = [...fileRoutes(relPath, src), ...javascriptRoutes(src), ...nestRoutes(src)];
      break;
    case 'python':
      routes = pythonRoutes(src);
      break;
    case 'go':
      routes = goRoutes(src);
      break;
    case 'java':
    case 'kotlin':
      routes = springRoutes(src);
      break;
    case 'rust':
      routes = rustRoutes(src);
      break;
    case 'erlang':
      routes = erlangRoutes(src);
      break;
  }
  return routes.sort((a, b) => a.line - b.line || a.column - b.column);
}
