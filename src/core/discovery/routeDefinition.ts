/** A route found statically in one source file. */
export interface RouteDefinition {
  /** Upper-case HTTP method; null when the route takes any method. */
  method: string | null;
  /**
   * Full path, parameters as ":name": from findRoutes with the prefixes known in the same file;
   * from a RouteIndex also with those applied by other files (mounts, includes, global prefix).
   */
  path: string;
  /**
   * 0-based line to decorate: the function/method definition for decorator and annotation
   * styles (the `def`, not the `@app.get`), the route call or tuple for registration styles,
   * the export for file-based routes.
   */
  line: number;
  /** 0-based column of the first token of that definition or call. */
  column: number;
  /**
   * The handler as written when it is named: "get_user", "views.detail", "h.GetUser",
   * "UsersController.findOne", "users_handler:init/2", "handlers::list". Null when inline.
   */
  symbol: string | null;
  /** express, koa, hono, fastify, nestjs, nextjs, vercel, fastapi, flask, starlette, django, net/http, gin, echo, chi, gorilla, fiber, spring, micronaut, jax-rs, cowboy, axum, actix, rocket. */
  framework: string;
}

export type FileRoute = RouteDefinition & { file: string };

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'CONNECT'] as const;
