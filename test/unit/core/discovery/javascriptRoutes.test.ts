import { strict as assert } from 'node:assert';
import { findRoutes } from '../../../../src/core/discovery/findRoutes';
import { routesOf } from './helpers';

describe('discovery: Express / Koa / Hono / Fastify', () => {
  it('finds Express routes with exact method, path, line, column, symbol and framework', () => {
    const routes = findRoutes('src/server.ts', [
      "import express from 'express';",
      'const app = express();',
      "app.get('/health', (req, res) => res.send('ok'));",
      '  app.post("/api/orders", requireAuth, createOrder);',
    ].join('\n'));
    assert.deepEqual(routes, [
      { method: 'GET', path: '/health', line: 2, column: 0, symbol: null, framework: 'express' },
      { method: 'POST', path: '/api/orders', line: 3, column: 2, symbol: 'createOrder', framework: 'express' },
    ]);
  });

  it('skips commented-out routes and routes inside strings', () => {
    assert.deepEqual(
      routesOf('app.js', [
        "const express = require('express');",
        'const app = express();',
        "// app.get('/old', oldHandler);",
        '/* app.get("/older", h);',
        "   app.delete('/oldest', h); */",
        "const doc = \"app.get('/in-a-string', h)\";",
        "app.get('/kept', kept); // app.get('/trailing', h)",
      ]),
      ['GET /kept @6 kept'],
    );
  });

  it('applies app.use prefixes, nested routers and template literals with known constants', () => {
    assert.deepEqual(
      routesOf('src/routes.ts', [
        "import express, { Router } from 'express';",
        "const API = '/api';",
        'const app = express();',
        'const router = Router();',
        'const users: Router = express.Router();',
        "users.get('/:id(\\\\d+)', asyncHandler(getUser));",
        'users.put(`/:id`, auth, users.update);',
        'router.get(`${API}/ping`, ping);',
        "router.use('/users', users);",
        "app.use('/v1', router);",
      ]),
      ['GET /v1/users/:id @5 getUser', 'PUT /v1/users/:id @6 users.update', 'GET /v1/api/ping @7 ping'],
    );
  });

  it('reads multi-line calls, route chains and array paths', () => {
    assert.deepEqual(
      routesOf('server.js', [
        "const express = require('express')",
        'const app = express()',
        'app.get(',
        "  '/reports/:year',",
        '  cache(60),',
        '  function listReports(req, res) {',
        '    res.json([])',
        '  },',
        ')',
        "app.route('/books')",
        '  .get(listBooks)',
        '  .post(addBook)',
        "app.all(['/a', '/b'], any)",
      ]),
      ['GET /reports/:year @2 listReports', 'GET /books @10 listBooks', 'POST /books @11 addBook', '* /a @12 any', '* /b @12 any'],
    );
  });

  it('ignores HTTP client calls and settings getters', () => {
    assert.deepEqual(
      routesOf('src/client.ts', [
        "import axios from 'axios';",
        "axios.get('/api/users', { params });",
        "axios.post('/api/users', body);",
        "api.get('/users');",
        "app.get('env');",
        "request(app).get('/users').expect(200);",
        "cache.get('/key', fallback);",
      ]),
      [],
    );
  });

  it('Koa: new Router({ prefix }), named routes, router.use(prefix, child.routes())', () => {
    const routes = findRoutes('src/koa.ts', [
      "import Router from '@koa/router';",
      "const router = new Router({ prefix: '/api' });",
      'const items = new Router();',
      "items.get('item', '/items/:id', showItem);",
      "router.use('/v2', items.routes());",
      "router.del('/cache', clearCache);",
    ].join('\n'));
    assert.deepEqual(
      routes.map((r) => [r.method, r.path, r.line, r.symbol, r.framework]),
      [
        ['GET', '/api/v2/items/:id', 3, 'showItem', 'koa'],
        ['DELETE', '/api/cache', 5, 'clearCache', 'koa'],
      ],
    );
  });

  it('Hono: basePath, chained routes, app.on and app.route(prefix, sub)', () => {
    assert.deepEqual(
      routesOf('src/index.ts', [
        "import { Hono } from 'hono';",
        "const app = new Hono().basePath('/api');",
        'const books = new Hono();',
        "books.get('/', (c) => c.json([])).post('/', createBook);",
        "app.on(['PUT', 'PATCH'], '/books/:id', updateBook);",
        "app.route('/books', books);",
      ]),
      ['GET /api/books @3 -', 'POST /api/books @3 createBook', 'PUT /api/books/:id @4 updateBook', 'PATCH /api/books/:id @4 updateBook'],
    );
  });

  it('Fastify: route({ method, url, handler }), shorthand with options, register prefixes', () => {
    const routes = findRoutes('src/app.ts', [
      "import Fastify from 'fastify';",
      'const fastify = Fastify({ logger: true });',
      'fastify.route({',
      "  method: ['GET', 'HEAD'],",
      "  url: '/items/:id',",
      '  handler: getItem,',
      '});',
      "fastify.get('/health', { schema }, async () => ({ ok: true }));",
      "fastify.post('/items', { handler: createItem });",
      'async function adminRoutes(instance, opts) {',
      "  instance.get('/stats', stats);",
      '}',
      "fastify.register(adminRoutes, { prefix: '/admin' });",
      'fastify.register(async (f) => {',
      "  f.delete('/sessions/:id', endSession);",
      "}, { prefix: '/v1' });",
    ].join('\n'));
    assert.deepEqual(
      routes.map((r) => `${r.method} ${r.path} @${r.line} ${r.symbol} ${r.framework}`),
      [
        'GET /items/:id @2 getItem fastify',
        'HEAD /items/:id @2 getItem fastify',
        'GET /health @7 null fastify',
        'POST /items @8 createItem fastify',
        'GET /admin/stats @10 stats fastify',
        'DELETE /v1/sessions/:id @14 endSession fastify',
      ],
    );
  });

  it('without a server import, accepts only router-like receivers', () => {
    assert.deepEqual(
      routesOf('src/routes/users.js', [
        'module.exports = function (router) {',
        "  router.get('/users', list);",
        "  store.get('/users', fallback);",
        '};',
      ]),
      ['GET /users @1 list'],
    );
  });

  it('does not mistake a regex literal with slashes or quotes for a comment or string', () => {
    assert.deepEqual(
      routesOf('server.js', [
        "const express = require('express'); const app = express();",
        "const re = /\\/\\/'/; app.get('/after-regex', h);",
      ]),
      ['GET /after-regex @1 h'],
    );
  });
});

describe('discovery: NestJS', () => {
  it('joins @Controller and method decorators and places the route on the method', () => {
    const routes = findRoutes('src/users/users.controller.ts', [
      "import { Controller, Get, Post, Param, UseGuards } from '@nestjs/common';",
      '',
      "@Controller('users')",
      'export class UsersController {',
      '  @Get()',
      '  findAll() {',
      '    return [];',
      '  }',
      '',
      "  @Get(':id')",
      '  @UseGuards(AuthGuard)',
      "  async findOne(@Param('id') id: string) {",
      '    return id;',
      '  }',
      '',
      '  // @Delete(":id")',
      "  @Post(['bulk', 'many'])",
      '  public create(): void {}',
      '}',
    ].join('\n'));
    assert.deepEqual(
      routes.map((r) => [r.method, r.path, r.line, r.column, r.symbol, r.framework]),
      [
        ['GET', '/users', 5, 2, 'UsersController.findAll', 'nestjs'],
        ['GET', '/users/:id', 11, 2, 'UsersController.findOne', 'nestjs'],
        ['POST', '/users/bulk', 17, 2, 'UsersController.create', 'nestjs'],
        ['POST', '/users/many', 17, 2, 'UsersController.create', 'nestjs'],
      ],
    );
  });

  it('reads @Controller({ path }) and @All', () => {
    assert.deepEqual(
      routesOf('a.controller.ts', ["@Controller({ path: 'v1/cats', version: '1' })", 'class CatsController {', "  @All('*')", '  any() {}', '}']),
      ['* /v1/cats/* @3 CatsController.any'],
    );
  });
});

describe('discovery: TypeScript specifics', () => {
  it('reads generic route calls (fastify.get<{ Params }>) and typed handlers', () => {
    assert.deepEqual(
      routesOf('src/users.ts', [
        "import Fastify from 'fastify';",
        'const app = Fastify();',
        "app.get<{ Params: { id: string }; Reply: User }>('/users/:id', getUser);",
        "app.post<Body<Array<Item>>>('/items', (req: FastifyRequest): Promise<void> => create(req));",
      ]),
      ['GET /users/:id @2 getUser', 'POST /items @3 -'],
    );
  });
});
