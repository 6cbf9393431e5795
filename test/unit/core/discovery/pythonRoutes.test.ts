import { strict as assert } from 'node:assert';
import { findRoutes } from '../../../../src/core/discovery/findRoutes';
import { routesOf } from './helpers';

describe('discovery: FastAPI / Starlette', () => {
  it('places decorated routes on the def line, with prefixes from APIRouter and include_router', () => {
    const routes = findRoutes('app/main.py', [
      'from fastapi import APIRouter, FastAPI',
      '',
      'app = FastAPI()',
      'router = APIRouter(prefix="/items", tags=["items"])',
      '',
      "@router.get('/{item_id}')",
      'async def read_item(item_id: int):',
      '    return {"id": item_id}',
      '',
      '@router.post(',
      '    "",',
      '    status_code=201,',
      ')',
      '@requires_auth',
      'def create_item(item: Item):',
      '    ...',
      '',
      '# @app.get("/commented")',
      'app.include_router(router, prefix="/v1")',
    ].join('\n'));
    assert.deepEqual(routes, [
      { method: 'GET', path: '/v1/items/:item_id', line: 6, column: 0, symbol: 'read_item', framework: 'fastapi' },
      { method: 'POST', path: '/v1/items', line: 14, column: 0, symbol: 'create_item', framework: 'fastapi' },
    ]);
  });

  it('api_route methods, f-strings with constants, docstrings ignored, nested routers', () => {
    assert.deepEqual(
      routesOf('api.py', [
        'import fastapi',
        'PREFIX = "/api"',
        'app = fastapi.FastAPI()',
        'users = fastapi.APIRouter(prefix="/users")',
        'admin = fastapi.APIRouter()',
        '',
        '@app.api_route(f"{PREFIX}/ping", methods=["GET", "HEAD"])',
        'def ping():',
        '    """Example: @app.get("/in-docstring")"""',
        '',
        '@users.delete("/{user_id:int}")',
        'async def remove(user_id): ...',
        'admin.include_router(users)',
        'app.include_router(admin, prefix="/admin")',
      ]),
      ['GET /api/ping @7 ping', 'HEAD /api/ping @7 ping', 'DELETE /admin/users/:user_id @11 remove'],
    );
  });

  it('Starlette Route inside Mount', () => {
    assert.deepEqual(
      routesOf('app.py', [
        'from starlette.routing import Mount, Route',
        'routes = [',
        '    Route("/", homepage),',
        '    Mount("/users", routes=[',
        '        Route("/{username}", user, methods=["GET", "PUT"]),',
        '    ]),',
        ']',
      ]),
      ['* / @2 homepage', 'GET /users/:username @4 user', 'PUT /users/:username @4 user'],
    );
  });
});

describe('discovery: Flask', () => {
  it('route with methods, blueprint url_prefix, bp.get, register_blueprint override, add_url_rule', () => {
    const routes = findRoutes('shop/views.py', [
      'from flask import Blueprint, Flask',
      "app = Flask(__name__)",
      "bp = Blueprint('orders', __name__, url_prefix='/orders')",
      '',
      "@app.route('/items/<int:item_id>', methods=['GET', 'POST'])",
      'def item(item_id):',
      '    pass',
      '',
      "@bp.get('/<path:rest>')",
      'def order(rest): pass',
      '',
      "@app.route('/')",
      'def index(): pass',
      "app.add_url_rule('/legacy', view_func=legacy_view, methods=['DELETE'])",
      "app.register_blueprint(bp, url_prefix='/v2/orders')",
    ].join('\n'));
    assert.deepEqual(
      routes.map((r) => `${r.method} ${r.path} @${r.line} ${r.symbol} ${r.framework}`),
      [
        'GET /items/:item_id @5 item flask',
        'POST /items/:item_id @5 item flask',
        'GET /v2/orders/:rest* @9 order flask',
        'GET / @12 index flask',
        'DELETE /legacy @13 legacy_view flask',
      ],
    );
  });
});

describe('discovery: Django', () => {
  it('path() and re_path() entries point at the view, includes of inline lists add their prefix', () => {
    const routes = findRoutes('polls/urls.py', [
      'from django.urls import include, path, re_path',
      'from . import views',
      '',
      'urlpatterns = [',
      '    path("", views.index, name="index"),',
      '    path("questions/<int:question_id>/", views.detail, name="detail"),',
      '    # path("old/", views.old),',
      "    re_path(r'^archive/(?P<year>[0-9]{4})/$', views.archive),",
      '    path("api/", include([',
      '        path("votes/<uuid:vote_id>/", views.VoteView.as_view()),',
      '    ])),',
      '    path("admin/", include("admin.urls")),',
      ']',
    ].join('\n'));
    assert.deepEqual(routes, [
      { method: null, path: '/', line: 4, column: 4, symbol: 'views.index', framework: 'django' },
      { method: null, path: '/questions/:question_id/', line: 5, column: 4, symbol: 'views.detail', framework: 'django' },
      { method: null, path: '/archive/:year/', line: 7, column: 4, symbol: 'views.archive', framework: 'django' },
      { method: null, path: '/api/votes/:vote_id/', line: 9, column: 8, symbol: 'views.VoteView', framework: 'django' },
    ]);
  });
});
