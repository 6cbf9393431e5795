import { strict as assert } from 'node:assert';
import { findRoutes } from '../../../../src/core/discovery/findRoutes';
import { RouteIndex } from '../../../../src/core/discovery/routeIndex';

/** An index over an in-memory workspace: file -> lines. */
function indexOf(files: Record<string, string[]>): RouteIndex {
  const index = new RouteIndex();
  for (const [file, lines] of Object.entries(files)) index.update(file, lines.join('\n'));
  return index;
}

/** "file:line METHOD path symbol", line 0-based as stored. */
const show = (index: RouteIndex): string[] => index.all().map((r) => `${r.file}:${r.line} ${r.method ?? '*'} ${r.path} ${r.symbol ?? '-'}`);

describe('discovery: prefixes across files (RouteIndex)', () => {
  describe('Express / Koa / Hono / Fastify', () => {
    it('nested mounts three files deep compose: server -> api router -> orders router (ESM)', () => {
      const index = indexOf({
        'src/server.ts': [
          "import express from 'express';",
          "import api from './api';",
          'const app = express();',
          "app.get('/healthz', health);",
          "app.use('/api', api);",
          'app.listen(3000);',
        ],
        'src/api/index.ts': [
          "import { Router } from 'express';",
          "import { ordersRouter } from './orders';",
          "import * as users from './users';",
          'const api = Router();',
          "api.use('/orders', ordersRouter);",
          "api.use('/users', users.router);",
          "api.get('/version', version);",
          'export default api;',
        ],
        'src/api/orders.ts': [
          "import { Router } from 'express';",
          'export const ordersRouter = Router();',
          "ordersRouter.get('/:orderId', getOrder);",
          "ordersRouter.post('/', createOrder);",
        ],
        'src/api/users.ts': [
          "import { Router } from 'express';",
          'export const router = Router();',
          "router.get('/:id', getUser);",
        ],
      });
      assert.deepEqual(show(index), [
        'src/api/index.ts:6 GET /api/version version',
        'src/api/orders.ts:2 GET /api/orders/:orderId getOrder',
        'src/api/orders.ts:3 POST /api/orders createOrder',
        'src/api/users.ts:2 GET /api/users/:id getUser',
        'src/server.ts:3 GET /healthz health',
      ]);
      // The file alone still reports the bare path.
      assert.deepEqual(findRoutes('src/api/orders.ts', "import { Router } from 'express';\nexport const ordersRouter = Router();\nordersRouter.get('/:orderId', getOrder);").map((r) => r.path), ['/:orderId']);
    });

    it('CommonJS: const x = require(), require().router, inline require, destructuring; .js resolves to .ts', () => {
      const index = indexOf({
        'app.js': [
          "const express = require('express');",
          "const users = require('./routes/users');",
          "const { itemsRouter } = require('./routes/items');",
          "const admin = require('./routes/admin').router;",
          'const app = express();',
          "app.use('/users', users);",
          "app.use('/items', auth, itemsRouter);",
          "app.use('/admin', admin);",
          "app.use('/health', require('./routes/health'));",
          "app.use('/v2', require('./routes/v2.js').router);",
        ],
        'routes/users.js': ["const router = require('express').Router();", "router.get('/:id', getUser);", 'module.exports = router;'],
        'routes/items.js': ["const express = require('express');", 'const itemsRouter = express.Router();', "itemsRouter.get('/', list);", 'module.exports = { itemsRouter };'],
        'routes/admin.js': ["const express = require('express');", 'const router = express.Router();', "router.delete('/cache', purge);", 'exports.router = router;'],
        'routes/health/index.js': ["const router = require('express').Router();", "router.get('/', ok);", 'module.exports = router;'],
        'routes/v2.ts': ["import { Router } from 'express';", 'export const router = Router();', "router.get('/ping', pong);"],
      });
      assert.deepEqual(show(index), [
        'routes/admin.js:2 DELETE /admin/cache purge',
        'routes/health/index.js:1 GET /health ok',
        'routes/items.js:2 GET /items list',
        'routes/users.js:1 GET /users/:id getUser',
        'routes/v2.ts:2 GET /v2/ping pong',
      ]);
    });

    it('a router mounted twice is reported under both prefixes; one exported router among several is picked by name', () => {
      const index = indexOf({
        'src/main.ts': [
          "import express from 'express';",
          "import { publicRouter } from './routes';",
          'const app = express();',
          "app.use('/v1', publicRouter);",
          "app.use('/v2', publicRouter);",
        ],
        'src/routes.ts': [
          "import { Router } from 'express';",
          'export const publicRouter = Router();',
          'export const adminRouter = Router();',
          "publicRouter.get('/items', list);",
          "adminRouter.get('/stats', stats);",
        ],
      });
      assert.deepEqual(show(index), ['src/routes.ts:3 GET /v1/items list', 'src/routes.ts:3 GET /v2/items list', 'src/routes.ts:4 GET /stats stats']);
    });

    it('a router also served on an app in its own file keeps that path besides the mounted one', () => {
      const index = indexOf({
        'src/main.ts': ["import express from 'express';", "import router from './users';", 'const app = express();', "app.use('/api/users', router);"],
        'src/users.ts': [
          "import express from 'express';",
          'const router = express.Router();',
          "router.get('/:id', getUser);",
          'const app = express();',
          "app.use('/users', router);",
          'app.listen(4000);',
          'export default router;',
        ],
      });
      assert.deepEqual(show(index), ['src/users.ts:2 GET /users/:id getUser', 'src/users.ts:2 GET /api/users/:id getUser']);
    });

    it('Koa router.use(prefix, sub.routes()), Hono app.route(prefix, sub) and Fastify register(plugin, { prefix }) across files', () => {
      const index = indexOf({
        'koa/app.ts': ["import Router from '@koa/router';", "import items from './items';", "const router = new Router({ prefix: '/api' });", "router.use('/items', items.routes(), items.allowedMethods());"],
        'koa/items.ts': ["import Router from '@koa/router';", 'const items = new Router();', "items.get('/:id', show);", 'export default items;'],
        'hono/index.ts': ["import { Hono } from 'hono';", "import books from './books';", "const app = new Hono().basePath('/api');", "app.route('/books', books);"],
        'hono/books.ts': ["import { Hono } from 'hono';", 'const app = new Hono();', "app.get('/:id', (c) => c.json({}));", 'export default app;'],
        'fastify/server.js': ["const fastify = require('fastify')();", "fastify.register(require('./users'), { prefix: '/users' });", 'fastify.listen({ port: 3000 });'],
        'fastify/users.js': ['module.exports = async function (fastify) {', "  fastify.get('/:id', getUser);", '};'],
      });
      assert.deepEqual(show(index), [
        'fastify/users.js:1 GET /users/:id getUser',
        'hono/books.ts:2 GET /api/books/:id -',
        'koa/items.ts:2 GET /api/items/:id show',
      ]);
    });

    it('a middleware imported from a routes module is not a mount; a named plugin export is', () => {
      const index = indexOf({
        'src/server.ts': [
          "import express from 'express';",
          "import { requireAuth, authRouter } from './auth';",
          'const app = express();',
          'app.use(requireAuth);',
          "app.use('/api', requireAuth);",
          "app.use('/auth', authRouter);",
        ],
        'src/auth.ts': [
          "import { Router } from 'express';",
          'export const authRouter = Router();',
          "authRouter.post('/login', login);",
          'export const publicRouter = Router();',
          "publicRouter.get('/status', status);",
          'export function requireAuth(req, res, next) { next(); }',
        ],
        'src/fastify.ts': ["import Fastify from 'fastify';", "import { userRoutes } from './plugins/users';", 'const app = Fastify();', "app.register(userRoutes, { prefix: '/users' });"],
        'src/plugins/users.ts': ["import type { FastifyInstance } from 'fastify';", 'export async function userRoutes(fastify: FastifyInstance) {', "  fastify.get('/:id', getUser);", '}'],
      });
      assert.deepEqual(show(index), ['src/auth.ts:2 POST /auth/login login', 'src/auth.ts:4 GET /status status', 'src/plugins/users.ts:2 GET /users/:id getUser']);
    });

    it('a mount of an unknown module (a package, a missing file) leaves the routes as they are', () => {
      const index = indexOf({
        'src/main.ts': ["import express from 'express';", "import auth from 'auth-routes';", "import gone from './gone';", 'const app = express();', "app.use('/auth', auth);", "app.use('/gone', gone);", "app.get('/x', x);"],
        'src/other.ts': ["import { Router } from 'express';", 'export const router = Router();', "router.get('/y', y);"],
      });
      assert.deepEqual(show(index), ['src/main.ts:6 GET /x x', 'src/other.ts:2 GET /y y']);
    });

    it('cycles and absurd depth terminate', () => {
      const cyc = indexOf({
        'a.ts': ["import { Router } from 'express';", "import b from './b';", 'const a = Router();', "a.use('/b', b);", "a.get('/in-a', ha);", 'export default a;'],
        'b.ts': ["import { Router } from 'express';", "import a from './a';", 'const b = Router();', "b.use('/a', a);", "b.get('/in-b', hb);", 'export default b;'],
      });
      // Each file's routes get the mount the other file gives; the walk stops where it would come back.
      assert.deepEqual(show(cyc), ['a.ts:4 GET /a/in-a ha', 'b.ts:4 GET /b/in-b hb']);
      const files: Record<string, string[]> = {};
      for (let i = 0; i < 40; i++) {
        files[`r${i}.ts`] = ["import { Router } from 'express';", `import next from './r${i + 1}';`, 'const r = Router();', `r.use('/p${i}', next);`, `r.use('/q${i}', next);`, "r.get('/', h);", 'export default r;'];
      }
      const started = Date.now();
      const deep = indexOf(files);
      const paths = deep.routesIn('r39.ts').map((r) => r.path);
      assert.ok(Date.now() - started < 5000);
      assert.ok(paths.length > 0 && paths.length <= 64, String(paths.length));
      assert.ok(paths.every((p) => p.split('/').length <= 18), 'composition stops at the depth bound');
    });
  });

  describe('Python', () => {
    it('FastAPI include_router with a prefix on both sides; from-imports, aliases, plain import', () => {
      const index = indexOf({
        'app/main.py': [
          'from fastapi import FastAPI',
          'from .routers import users',
          'from app.routers.items import router as items_router',
          'import health',
          'app = FastAPI()',
          "app.include_router(users.router, prefix='/v1')",
          "app.include_router(items_router, prefix='/v1')",
          'app.include_router(health.router)',
        ],
        'app/routers/users.py': ['from fastapi import APIRouter', "router = APIRouter(prefix='/users')", '', '@router.get("/{user_id}")', 'async def get_user(user_id: int): ...'],
        'app/routers/items.py': ['from fastapi import APIRouter', "router = APIRouter(prefix='/items')", '@router.post("")', 'def create_item(): ...'],
        'app/health.py': ['from fastapi import APIRouter', 'router = APIRouter()', '@router.get("/healthz")', 'def healthz(): ...'],
      });
      assert.deepEqual(show(index), ['app/health.py:3 GET /healthz healthz', 'app/routers/items.py:3 POST /v1/items create_item', 'app/routers/users.py:4 GET /v1/users/:user_id get_user']);
    });

    it('FastAPI nested include: the included router includes another module', () => {
      const index = indexOf({
        'src/api/main.py': ['from fastapi import FastAPI', 'from api.v1 import api as v1', 'app = FastAPI()', "app.include_router(v1.router, prefix='/api')"],
        'src/api/v1/api.py': ['from fastapi import APIRouter', 'from .endpoints import orders', "router = APIRouter(prefix='/v1')", "router.include_router(orders.router, prefix='/orders')"],
        'src/api/v1/endpoints/orders.py': ['from fastapi import APIRouter', 'router = APIRouter()', '@router.get("/{order_id}")', 'def read_order(order_id: str): ...'],
      });
      assert.deepEqual(show(index), ['src/api/v1/endpoints/orders.py:3 GET /api/v1/orders/:order_id read_order']);
    });

    it('Flask register_blueprint: url_prefix replaces the blueprint own prefix; without it the own prefix stays', () => {
      const index = indexOf({
        'shop/app.py': ['from flask import Flask', 'from shop.views.cart import cart_bp', 'from shop.views import admin', 'app = Flask(__name__)', "app.register_blueprint(cart_bp, url_prefix='/cart')", 'app.register_blueprint(admin.bp)'],
        'shop/views/cart.py': ['from flask import Blueprint', "cart_bp = Blueprint('cart', __name__, url_prefix='/old')", "@cart_bp.route('/<int:item_id>', methods=['DELETE'])", 'def remove(item_id): ...'],
        'shop/views/admin.py': ['from flask import Blueprint', "bp = Blueprint('admin', __name__, url_prefix='/admin')", "@bp.get('/stats')", 'def stats(): ...'],
      });
      assert.deepEqual(show(index), ['shop/views/admin.py:3 GET /admin/stats stats', 'shop/views/cart.py:3 DELETE /cart/:item_id remove']);
    });

    it("Django path('api/', include('shop.urls')) -> shop/urls.py, nested includes", () => {
      const index = indexOf({
        'mysite/mysite/urls.py': [
          'from django.urls import include, path',
          'urlpatterns = [',
          "    path('api/', include('shop.urls')),",
          "    path('admin/', admin.site.urls),",
          "    path('', views.home),",
          ']',
        ],
        'mysite/shop/urls.py': ['from django.urls import include, path', 'from . import views', 'urlpatterns = [', "    path('orders/<int:pk>/', views.order_detail),", "    path('v2/', include(('shop.v2.urls', 'v2'))),", ']'],
        'mysite/shop/v2/urls.py': ['from django.urls import path', 'urlpatterns = [', "    path('', views.index),", ']'],
      });
      assert.deepEqual(show(index), ['mysite/mysite/urls.py:3 * /admin/ admin.site.urls', 'mysite/mysite/urls.py:4 * / views.home', 'mysite/shop/urls.py:3 * /api/orders/:pk/ views.order_detail', 'mysite/shop/v2/urls.py:2 * /api/v2/ views.index']);
    });
  });

  it('NestJS setGlobalPrefix applies to every controller in the workspace', () => {
    const index = indexOf({
      'src/main.ts': ["import { NestFactory } from '@nestjs/core';", 'async function bootstrap() {', '  const app = await NestFactory.create(AppModule);', "  app.setGlobalPrefix('api');", '  await app.listen(3000);', '}'],
      'src/users/users.controller.ts': ["@Controller('users')", 'export class UsersController {', "  @Get(':id')", '  findOne() {}', '}'],
    });
    assert.deepEqual(show(index), ['src/users/users.controller.ts:3 GET /api/users/:id UsersController.findOne']);
    assert.equal(index.remove('src/main.ts'), true);
    assert.deepEqual(show(index), ['src/users/users.controller.ts:3 GET /users/:id UsersController.findOne']);
  });

  describe('incremental updates', () => {
    const server = (prefix: string): string => ["import express from 'express';", "import { ordersRouter } from './orders';", 'const app = express();', `app.use('${prefix}', ordersRouter);`].join('\n');
    const orders = ["import { Router } from 'express';", 'export const ordersRouter = Router();', "ordersRouter.get('/:orderId', getOrder);"].join('\n');

    it("update() of the mounting file changes the other file's routes and returns true", () => {
      const index = new RouteIndex();
      assert.equal(index.update('src/orders.ts', orders), true);
      assert.deepEqual(index.routesIn('src/orders.ts').map((r) => r.path), ['/:orderId']);
      assert.equal(index.update('src/server.ts', server('/api/orders')), true, 'server.ts has no routes of its own, but mounts orders');
      assert.deepEqual(index.routesIn('src/orders.ts').map((r) => r.path), ['/api/orders/:orderId']);
      assert.equal(index.update('src/server.ts', server('/api/orders')), false, 'same content');
      assert.equal(index.update('src/server.ts', server('/v2/orders')), true);
      assert.deepEqual(index.routesIn('src/orders.ts').map((r) => r.path), ['/v2/orders/:orderId']);
      assert.equal(index.fileCount, 1, 'files with routes');
    });

    it('the mounting file first, the router file later: composed on arrival', () => {
      const index = new RouteIndex();
      assert.equal(index.update('src/server.ts', server('/api/orders')), false);
      assert.equal(index.update('src/orders.ts', orders), true);
      assert.deepEqual(show(index), ['src/orders.ts:2 GET /api/orders/:orderId getOrder']);
    });

    it('remove() of the mounting file restores bare paths', () => {
      const index = new RouteIndex();
      index.update('src/server.ts', server('/api/orders'));
      index.update('src/orders.ts', orders);
      assert.equal(index.remove('src/server.ts'), true);
      assert.deepEqual(show(index), ['src/orders.ts:2 GET /:orderId getOrder']);
      assert.equal(index.remove('src/server.ts'), false);
    });

    it('an index resolution that changes when a closer file appears updates the mounted routes', () => {
      const index = new RouteIndex();
      index.update('src/server.ts', server('/api'));
      index.update('src/orders/index.ts', orders);
      assert.deepEqual(index.routesIn('src/orders/index.ts').map((r) => r.path), ['/api/:orderId']);
      assert.equal(index.update('src/orders.ts', orders), true, 'orders.ts wins over orders/index.ts');
      assert.deepEqual(show(index), ['src/orders.ts:2 GET /api/:orderId getOrder', 'src/orders/index.ts:2 GET /:orderId getOrder']);
    });
  });
});
