import { claimSeries } from '../budgets/claim';
import type { Budget } from '../config/parseConfig';
import type { FileRoute } from '../discovery/routeDefinition';
import type { Series } from '../series';

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

/**
 * The handler (among `handlers`, budget keys) each series or request name belongs to, decided as
 * `check` decides it (claimSeries: route templates, the longest literal prefix first). A name
 * that no handler, or two handlers equally, match is left out.
 */
export function claimNames(handlers: readonly string[], names: readonly string[]): Map<string, string> {
  const budgets = handlers.map((handler): Budget => ({ handler, latency: {} }));
  // claimSeries reads only the names of the series.
  const series = names.map((name) => ({ name }) as Series);
  const out = new Map<string, string>();
  for (const [handler, list] of claimSeries(budgets, series).byBudget) for (const s of list) out.set(s.name, handler);
  return out;
}

/** The handler one name belongs to (claimNames), or null. */
export function bestHandler(name: string, handlers: readonly string[]): string | null {
  return claimNames(handlers, [name]).get(name) ?? null;
}

/** Paths of the health routes set-up uses for "ready", most usual first. */
export const HEALTH_PATHS = ['/health', '/healthz', '/api/health', '/api/healthz', '/healthcheck', '/health-check', '/ready', '/readyz', '/livez', '/ping', '/status', '/api/status', '/api/ping', '/_health'];

/** The health route's path among the routes (GET or any method), or null. */
export function healthPath(routes: readonly Pick<FileRoute, 'method' | 'path'>[]): string | null {
  const gets = new Set(routes.filter((r) => r.method === null || r.method === 'GET').map((r) => r.path.replace(/\/+$/, '') || '/'));
  return HEALTH_PATHS.find((p) => gets.has(p)) ?? null;
}
