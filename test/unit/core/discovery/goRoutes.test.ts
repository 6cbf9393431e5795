import { strict as assert } from 'node:assert';
import { findRoutes } from '../../../../src/core/discovery/findRoutes';
import { routesOf } from './helpers';

describe('discovery: Go', () => {
  it('net/http: HandleFunc, Handle, Go 1.22 method patterns, HandlerFunc wrappers', () => {
    const routes = findRoutes('cmd/server/main.go', [
      'package main',
      '',
      'import "net/http"',
      '',
      'func main() {',
      '\tmux := http.NewServeMux()',
      '\tmux.HandleFunc("GET /tracking/{id}", getTracking)',
      '\tmux.HandleFunc("POST /tracking/{$}", createTracking)',
      '\thttp.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) {})',
      '\t// mux.HandleFunc("/old", old)',
      '\tmux.Handle("/files/{path...}", http.HandlerFunc(serveFile))',
      '\tmux.Handle(`/metrics`, promhttp.Handler())',
      '\thttp.Get("http://example.com/x")',
      '}',
    ].join('\n'));
    assert.deepEqual(routes, [
      { method: 'GET', path: '/tracking/:id', line: 6, column: 1, symbol: 'getTracking', framework: 'net/http' },
      { method: 'POST', path: '/tracking/', line: 7, column: 1, symbol: 'createTracking', framework: 'net/http' },
      { method: null, path: '/health', line: 8, column: 1, symbol: null, framework: 'net/http' },
      { method: null, path: '/files/:path*', line: 10, column: 1, symbol: 'serveFile', framework: 'net/http' },
      { method: null, path: '/metrics', line: 11, column: 1, symbol: null, framework: 'net/http' },
    ]);
  });

  it('gin: groups (nested), method handlers on a struct, Handle and Any', () => {
    assert.deepEqual(
      routesOf('internal/http/router.go', [
        'package http',
        'import "github.com/gin-gonic/gin"',
        'const apiPrefix = "/api"',
        'func Register(r *gin.Engine, h *Handler) {',
        '\tv1 := r.Group(apiPrefix + "/v1")',
        '\t{',
        '\t\tv1.GET("/users/:id", h.GetUser)',
        '\t\tadmin := v1.Group("/admin")',
        '\t\tadmin.DELETE("/users/:id", auth(), h.DeleteUser)',
        '\t}',
        '\tr.Handle("PATCH", "/x", patchX)',
        '\tr.Any("/proxy/*path", proxy)',
        '}',
      ]),
      ['GET /api/v1/users/:id @6 h.GetUser', 'DELETE /api/v1/admin/users/:id @8 h.DeleteUser', 'PATCH /x @10 patchX', '* /proxy/:path* @11 proxy'],
    );
  });

  it('echo: e.POST, groups, Match; framework from the import', () => {
    const routes = findRoutes('main.go', [
      'import "github.com/labstack/echo/v4"',
      'func main() {',
      '\te := echo.New()',
      '\tg := e.Group("/admin")',
      '\te.POST("/users", createUser)',
      '\tg.GET("/stats", stats)',
      '\te.Match([]string{"GET", "HEAD"}, "/ping", ping)',
      '}',
    ].join('\n'));
    assert.deepEqual(
      routes.map((r) => `${r.method} ${r.path} @${r.line} ${r.symbol} ${r.framework}`),
      ['POST /users @4 createUser echo', 'GET /admin/stats @5 stats echo', 'GET /ping @6 ping echo', 'HEAD /ping @6 ping echo'],
    );
  });

  it('chi: r.Route closures (nested, shadowed r), Mount of a router func, Method', () => {
    assert.deepEqual(
      routesOf('router.go', [
        'import "github.com/go-chi/chi/v5"',
        'func NewRouter() http.Handler {',
        '\tr := chi.NewRouter()',
        '\tr.Get("/", index)',
        '\tr.Route("/articles", func(r chi.Router) {',
        '\t\tr.Get("/", listArticles)',
        '\t\tr.Route("/{articleID}", func(r chi.Router) {',
        '\t\t\tr.Get("/", getArticle)',
        '\t\t\tr.Put("/", updateArticle)',
        '\t\t})',
        '\t})',
        '\tr.Mount("/admin", adminRouter())',
        '\tr.Method("OPTIONS", "/cors", cors)',
        '\treturn r',
        '}',
        'func adminRouter() http.Handler {',
        '\tr := chi.NewRouter()',
        '\tr.Get("/", adminIndex)',
        '\treturn r',
        '}',
      ]),
      [
        'GET / @3 index',
        'GET /articles @5 listArticles',
        'GET /articles/:articleID @7 getArticle',
        'PUT /articles/:articleID @8 updateArticle',
        'OPTIONS /cors @12 cors',
        'GET /admin @17 adminIndex',
      ],
    );
  });

  it('gorilla/mux: Methods() and PathPrefix().Subrouter(); fiber groups', () => {
    assert.deepEqual(
      routesOf('mux.go', [
        'import "github.com/gorilla/mux"',
        'r := mux.NewRouter()',
        'api := r.PathPrefix("/api").Subrouter()',
        'api.HandleFunc("/products/{key}", ProductHandler).Methods("GET", "PUT")',
        'r.HandleFunc("/", HomeHandler)',
      ]),
      ['GET /api/products/:key @3 ProductHandler', 'PUT /api/products/:key @3 ProductHandler', '* / @4 HomeHandler'],
    );
    const fiber = findRoutes('f.go', ['import "github.com/gofiber/fiber/v2"', 'app := fiber.New()', 'api := app.Group("/api")', 'api.Get("/list", handlers.List)'].join('\n'));
    assert.deepEqual(fiber.map((r) => [r.method, r.path, r.symbol, r.framework]), [['GET', '/api/list', 'handlers.List', 'fiber']]);
  });
});
