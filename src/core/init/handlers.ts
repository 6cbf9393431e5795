import { handlerMatches, parseHandlerId } from '../budgets/handlerId';
import type { FileRoute } from '../discovery/routeDefinition';

/**
 * Discovered routes as budget keys, and result series matched to them.
 */

/** Frameworks that write parameters as ":name" themselves: their routes keep that notation. */
const COLON_FRAMEWORKS = new Set(['express', 'koa', 'hono', 'fastify', 'nestjs', 'gin', 'echo', 'fiber', 'nextjs', 'vercel']);

/**
 * The route as written in code, as a budget key: "GET /api/orders/{order_id}" for FastAPI,
 * "GET /api/users/<int:user_id>" for Flask, "GET /items/:id" for Express ("/x" alone for a route
 * of any method). Discovery gives ":name"; the file's text says how the parameter is written.
 */
export function routeHandlerId(route: Pick<FileRoute, 'method' | 'path' | 'framework'>, fileText?: string): string {
  let path = route.path;
  if (fileText !== undefined && !COLON_FRAMEWORKS.has(route.framework)) {
    path = path
      .split('/')
      .map((seg) => {
        const m = /^:(\w+)([*?]?)$/.exec(seg);
        if (!m) return seg;
        const name = m[1]!;
        const written =
          new RegExp(`(?<!\\$)\\{${name}(?:\\.\\.\\.|:[^}/]*)?\\}`).exec(fileText) ?? new RegExp(`<(?:\\w+:)?${name}(?:\\.\\.)?>`).exec(fileText);
        return written ? written[0] : seg;
      })
      .join('/');
  }
  return route.method ? `${route.method} ${path}` : path;
}

/** Literal segments of a handler id (its specificity), for choosing between matching routes. */
function literalSegments(id: string): number {
  return parseHandlerId(id).segments?.filter((s) => s !== ':').length ?? 0;
}

/**
 * The handler (among `handlers`, budget keys) a series or request name belongs to: every handler
 * it matches by route template, the most specific first (more literal segments, then an exact
 * method over "any method"); null when none matches.
 */
export function bestHandler(name: string, handlers: readonly string[]): string | null {
  let best: string | null = null;
  let bestScore = -1;
  for (const h of handlers) {
    if (!handlerMatches(h, name)) continue;
    const score = literalSegments(h) * 2 + (parseHandlerId(h).method ? 1 : 0);
    if (score > bestScore) {
      best = h;
      bestScore = score;
    }
  }
  return best;
}

/** Paths of the health routes set-up uses for "ready", most usual first. */
export const HEALTH_PATHS = ['/health', '/healthz', '/api/health', '/api/healthz', '/healthcheck', '/health-check', '/ready', '/readyz', '/livez', '/ping', '/status', '/api/status', '/api/ping', '/_health'];

/** The health route's path among the routes (GET or any method), or null. */
export function healthPath(routes: readonly Pick<FileRoute, 'method' | 'path'>[]): string | null {
  const gets = new Set(routes.filter((r) => r.method === null || r.method === 'GET').map((r) => r.path.replace(/\/+$/, '') || '/'));
  return HEALTH_PATHS.find((p) => gets.has(p)) ?? null;
}
