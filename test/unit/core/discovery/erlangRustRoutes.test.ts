import { strict as assert } from 'node:assert';
import { findRoutes } from '../../../../src/core/discovery/findRoutes';
import { routesOf } from './helpers';

describe('discovery: Erlang cowboy', () => {
  it('dispatch tuples -> any-method routes with symbol module:init/2', () => {
    const routes = findRoutes('src/app_sup.erl', [
      'start(_Type, _Args) ->',
      '    Dispatch = cowboy_router:compile([',
      "        {'_', [",
      '            {"/", toppage_h, []},',
      '            %% {"/old", old_h, []},',
      '            {"/tracking/:id", [{id, int}], tracking_h, #{}},',
      '            {<<"/static/[...]">>, cowboy_static, {priv_dir, app, "static"}}',
      '        ]}',
      '    ]),',
    ].join('\n'));
    assert.deepEqual(routes, [
      { method: null, path: '/', line: 3, column: 12, symbol: 'toppage_h:init/2', framework: 'cowboy' },
      { method: null, path: '/tracking/:id', line: 5, column: 12, symbol: 'tracking_h:init/2', framework: 'cowboy' },
      { method: null, path: '/static/*', line: 6, column: 12, symbol: 'cowboy_static:init/2', framework: 'cowboy' },
    ]);
  });
});

describe('discovery: Rust', () => {
  it('axum: one route per method with its handler, closures unnamed, nest prefixes', () => {
    assert.deepEqual(
      routesOf('src/main.rs', [
        'use axum::{routing::{get, post}, Router};',
        '',
        'fn app() -> Router {',
        '    Router::new()',
        '        .route("/", get(|| async { "ok" }))',
        '        .route("/users/:id", get(users::show).delete(users::destroy))',
        '        // .route("/old", get(old))',
        '        .nest("/api", api())',
        '}',
        '',
        'fn api() -> Router {',
        '    Router::new().route("/items/{id}", axum::routing::put(update_item))',
        '}',
      ]),
      ['GET / @4 -', 'GET /users/:id @5 users::show', 'DELETE /users/:id @5 users::destroy', 'PUT /api/items/:id @11 update_item'],
    );
  });

  it('actix: attributes on the fn line (past other attributes), web::scope prefixes, web::get().to()', () => {
    const routes = findRoutes('src/handlers.rs', [
      'use actix_web::{get, post, web, App, HttpResponse};',
      '',
      '#[get("/users/{id}")]',
      '#[tracing::instrument]',
      'pub async fn get_user(path: web::Path<u32>) -> HttpResponse {',
      "    let c = '\"'; // a quote char must not open a string",
      '    HttpResponse::Ok().finish()',
      '}',
      '',
      '#[route("/ping", method = "GET", method = "HEAD")]',
      "async fn ping<'a>() -> &'a str { \"pong\" }",
      '',
      'fn config(cfg: &mut web::ServiceConfig) {',
      '    cfg.service(web::scope("/api").service(get_user))',
      '       .route("/health", web::get().to(health));',
      '}',
    ].join('\n'));
    assert.deepEqual(
      routes.map((r) => `${r.method} ${r.path} @${r.line}:${r.column} ${r.symbol} ${r.framework}`),
      ['GET /api/users/:id @4:0 get_user actix', 'GET /ping @10:0 ping actix', 'HEAD /ping @10:0 ping actix', 'GET /health @14:8 health actix'],
    );
  });

  it('Rocket: attribute routes with <param> and mount prefixes', () => {
    assert.deepEqual(
      routesOf('src/main.rs', [
        '#[macro_use] extern crate rocket;',
        '#[get("/hello/<name>/<age>")]',
        'fn hello(name: &str, age: u8) -> String { format!("{name}") }',
        '#[post("/files/<path..>", data = "<body>")]',
        'fn upload(path: PathBuf) {}',
        '#[launch]',
        'fn rocket() -> _ { rocket::build().mount("/v1", routes![hello, upload]) }',
      ]),
      ['GET /v1/hello/:name/:age @2 hello', 'POST /v1/files/:path* @4 upload'],
    );
  });
});
