import type { RouteDefinition } from './routeDefinition';

/**
 * What one file contributes to cross-file route composition: its routes with the in-file
 * router ("root") each belongs to, and its mounts of routers defined in other modules. A
 * RouteIndex joins these across files; `findRoutes` reports the routes as the file alone gives
 * them.
 */

/** Where a route (or a mount) sits in its file: below which top-level router binding. */
export interface RouteScope {
  /**
   * The top of the in-file mount chain: the binding another module imports and mounts
   * ("router", "ordersRouter", "app", "urlpatterns"), or a parameter / call expression.
   */
  root: string;
  /** The root's own prefix when a mount may replace it (Flask `url_prefix`); otherwise "" and part of rest. */
  own: string;
  /** Path below the root's own prefix, in-file prefixes included. */
  rest: string;
  /**
   * Reached only through an external mount: an exported router that is also mounted on an app in
   * its own file yields one variant through that app (reported as is) and one detached variant,
   * kept only when another module mounts the router.
   */
  detached?: boolean;
}

export type ScopedRoute = RouteDefinition & { scope?: RouteScope };

/** A module and the binding imported from it; name null when unknown (every router there). */
export interface ModuleRef {
  /** As written: "./routes/orders", "../api", ".routers.users", "app.routers.users", "shop.urls". */
  spec: string;
  /** Exported name ("default" for a default export / module.exports) or null. */
  name: string | null;
}

export interface MountFact {
  /** The router in this file the module is mounted on, and the prefix down to the mount. */
  scope: RouteScope;
  /** Candidate modules, first resolvable wins (Python `from a import b`: module a.b, else a's b). */
  targets: ModuleRef[];
  /** Flask `register_blueprint(bp, url_prefix=...)`: replaces the blueprint's own prefix. */
  replaceOwn: string | null;
}

export interface FileFacts {
  /** Routes with the prefixes known in the file; detached variants included. */
  routes: ScopedRoute[];
  mounts: MountFact[];
  /** Exported name -> local binding (JS: `export const x`, `export default x`, `module.exports = x`). */
  exports: Record<string, string>;
  /** Functions registering routes on their first parameter (plugins): local name or "default" -> parameter. */
  plugins: Record<string, string>;
  /** Roots that serve requests themselves (`app.listen`, a FastAPI/Flask app): not "every router" of a module. */
  served: string[];
  /** NestJS `app.setGlobalPrefix('api')`: applies to every Nest controller in the workspace. */
  globalPrefix: string | null;
}

/** Whether a RouteIndex keeps a file's facts: it has routes, mounts or a global prefix (its exports matter only then). */
export function keptByIndex(facts: FileFacts): boolean {
  return facts.routes.length > 0 || facts.mounts.length > 0 || facts.globalPrefix !== null;
}

export function emptyFacts(routes: ScopedRoute[] = []): FileFacts {
  return { routes, mounts: [], exports: {}, plugins: {}, served: [], globalPrefix: null };
}

/** The route as findRoutes reports it (no scope). */
export function plainRoute(r: ScopedRoute): RouteDefinition {
  const { scope: _scope, ...rest } = r;
  return rest;
}
