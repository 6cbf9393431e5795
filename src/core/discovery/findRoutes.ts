import { erlangRoutes } from './erlangRoutes';
import { fileRoutes } from './fileRoutes';
import { goRoutes } from './goRoutes';
import { javascriptFacts } from './javascriptRoutes';
import { mayDefineRoutes } from './mayDefineRoutes';
import { type FileFacts, emptyFacts, plainRoute } from './moduleFacts';
import { nestRoutes } from './nestRoutes';
import { pythonFacts } from './pythonRoutes';
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
 * Paths carry the prefixes the file itself gives; a RouteIndex adds those of other files.
 * Sorted by line, then column.
 */
export function findRoutes(relPath: string, content: string): RouteDefinition[] {
  return analyzeFile(relPath, content)
    .routes.filter((r) => !r.scope?.detached)
    .map(plainRoute);
}

/**
 * findRoutes plus what cross-file composition needs: each route's in-file root, mounts of other
 * modules, exports. A file that mayDefineRoutes rules out gets no facts at all (it has no route,
 * mount or global prefix, so a RouteIndex would not keep its exports either): the cheap path for
 * the many files of a workspace that define no route.
 */
export function analyzeFile(relPath: string, content: string): FileFacts {
  const lang = languageOf(relPath);
  if (!lang || !mayDefineRoutes(relPath, lang, content)) return emptyFacts();
  return analyzeFileFully(relPath, lang, content);
}

/** analyzeFile without the pre-filter: what mayDefineRoutes is tested against. */
export function analyzeFileFully(relPath: string, lang: Lang, content: string): FileFacts {
  const src = prepare(content, lang);
  let facts: FileFacts;
  switch (lang) {
    case 'js': {
      const js = javascriptFacts(src);
      facts = { ...js, routes: [...fileRoutes(relPath, src), ...js.routes, ...nestRoutes(src)] };
      break;
    }
    case 'python':
      facts = pythonFacts(src);
      break;
    case 'go':
      facts = emptyFacts(goRoutes(src));
      break;
    case 'java':
    case 'kotlin':
      facts = emptyFacts(springRoutes(src));
      break;
    case 'rust':
      facts = emptyFacts(rustRoutes(src));
      break;
    case 'erlang':
      facts = emptyFacts(erlangRoutes(src));
      break;
  }
  facts.routes.sort((a, b) => a.line - b.line || a.column - b.column);
  return facts;
}
