import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findRoutes } from '../../../../src/core/discovery/findRoutes';
import { handlerExtent } from '../../../../src/core/discovery/handlerExtent';

/** The extent as 1-based inclusive [start, end], from a 1-based line: easier to read against the snippets. */
const ext = (file: string, code: string, line1: number): [number, number] => {
  const e = handlerExtent(file, code, line1 - 1);
  return [e.start + 1, e.end + 1];
};
const lines = (...l: string[]) => `${l.join('\n')}\n`;

describe('handlerExtent: JavaScript / TypeScript', () => {
  it('an Express route call with an inline handler ends at its `});`, braces in strings, comments, templates and regexes not counted', () => {
    const code = lines(
      "import express from 'express';", // 1
      'const app = express();', // 2
      '', // 3
      "app.get('/x/:id', async (req, res) => {", // 4
      "  const open = '{ not a brace (';", // 5
      '  // } neither is this )', // 6
      '  /* nor } this */', // 7
      '  const t = `${req.params.id}} ${ { a: 1 }.a } }`;', // 8
      '  const re = /[}{)(]+/g;', // 9
      '  if (re.test(open)) {', // 10
      '    res.json({ t });', // 11
      '  }', // 12
      '});', // 13
      '', // 14
      "app.post('/y', (req, res) => res.send('}'));", // 15
    );
    assert.deepEqual(ext('src/app.ts', code, 4), [4, 13]);
    assert.deepEqual(ext('src/app.ts', code, 15), [15, 15]);
  });

  it('nested callbacks inside a Koa / Fastify handler', () => {
    const code = lines(
      "router.get('/a', async (ctx) => {", // 1
      '  await new Promise((resolve) => {', // 2
      '    setTimeout(() => {', // 3
      '      resolve([1, [2, 3]]);', // 4
      '    }, 1);', // 5
      '  });', // 6
      '  ctx.body = { ok: true };', // 7
      '});', // 8
      "fastify.route({ method: 'GET', url: '/b', handler: async () => {", // 9
      "  return { b: '}' };", // 10
      '} });', // 11
    );
    assert.deepEqual(ext('server.js', code, 1), [1, 8]);
    assert.deepEqual(ext('server.js', code, 9), [9, 11]);
  });

  it('a Nest method: its decorators above (multi-line too) through the closing brace of the method', () => {
    const code = lines(
      '@Controller("users")', // 1
      'export class UsersController {', // 2
      '  @Get(":id")', // 3
      '  @UseGuards(', // 4
      '    AuthGuard,', // 5
      '  )', // 6
      '  async findOne(@Param("id") id: string): Promise<User> {', // 7
      '    if (!id) {', // 8
      '      throw new NotFoundException(`no user ${id}}`);', // 9
      '    }', // 10
      '    return this.users.find(id);', // 11
      '  }', // 12
      '', // 13
      '  @Post()', // 14
      '  create() { return 1; }', // 15
      '}', // 16
    );
    assert.deepEqual(ext('src/users.controller.ts', code, 7), [3, 12]);
    assert.deepEqual(ext('src/users.controller.ts', code, 3), [3, 12]);
    assert.deepEqual(ext('src/users.controller.ts', code, 15), [14, 15]);
  });

  it('Next.js route exports: a function, an arrow const, a re-bound name', () => {
    const code = lines(
      "import { NextResponse } from 'next/server';", // 1
      '', // 2
      'export async function GET(request: Request): Promise<Response> {', // 3
      '  const data = { a: "}" };', // 4
      '  return NextResponse.json(data);', // 5
      '}', // 6
      '', // 7
      'export const POST = async (req: Request) => {', // 8
      '  return new Response(null, { status: 201 });', // 9
      '};', // 10
      'export const PUT = handler', // 11
      'export const DELETE =', // 12
      '  handler;', // 13
    );
    assert.deepEqual(ext('app/api/items/route.ts', code, 3), [3, 6]);
    assert.deepEqual(ext('app/api/items/route.ts', code, 8), [8, 10]);
    assert.deepEqual(ext('app/api/items/route.ts', code, 11), [11, 11]);
    assert.deepEqual(ext('app/api/items/route.ts', code, 12), [12, 13]);
  });
});

describe('handlerExtent: Python', () => {
  it('decorators, a multi-line signature with a return annotation, the indented body with blank and comment lines, not the trailing blanks', () => {
    const code = lines(
      'from fastapi import FastAPI', // 1
      'app = FastAPI()', // 2
      '', // 3
      '', // 4
      '@app.get(', // 5
      '    "/items/{item_id}",', // 6
      '    response_model=Item,', // 7
      ')', // 8
      '@cache(ttl=10)', // 9
      'async def read_item(', // 10
      '    item_id: int,', // 11
      '    q: str | None = None,', // 12
      ') -> dict[str, int]:', // 13
      '    """Reads one item.', // 14
      '', // 15
      'Unindented docstring text: still inside.', // 16
      '    """', // 17
      '    data = {"a": "}"}  # a comment with ) in it', // 18
      '', // 19
      '    # a comment inside the body', // 20
      '    if q:', // 21
      '        return {', // 22
      '    "q": 1,', // 23
      '        }', // 24
      '    return data', // 25
      '', // 26
      '', // 27
      '# not part of it', // 28
      'def other(): return 1', // 29
    );
    assert.deepEqual(ext('app/main.py', code, 10), [5, 25]);
    assert.deepEqual(ext('app/main.py', code, 5), [5, 25]);
    assert.deepEqual(ext('app/main.py', code, 29), [29, 29]);
  });

  it('a Flask view and a Django path() entry', () => {
    const code = lines(
      '@app.route("/u/<int:id>", methods=["GET", "POST"])', // 1
      'def user(id):', // 2
      '    if request.method == "POST":', // 3
      '        return "posted"', // 4
      '    return "got"', // 5
      'urlpatterns = [', // 6
      '    path("detail/<int:pk>/",', // 7
      '         views.detail, name="detail"),', // 8
      '    path("list/", views.listing),', // 9
      ']', // 10
    );
    assert.deepEqual(ext('app.py', code, 2), [1, 5]);
    assert.deepEqual(ext('urls.py', code, 7), [7, 8]);
    assert.deepEqual(ext('urls.py', code, 9), [9, 9]);
  });
});

describe('handlerExtent: Go, Java, Kotlin, Rust, Erlang', () => {
  it('Go: a HandleFunc with an inline func, a named func with a receiver, a raw string with braces', () => {
    const code = lines(
      'func routes(r *mux.Router) {', // 1
      '\tr.HandleFunc("/x", func(w http.ResponseWriter, r *http.Request) {', // 2
      '\t\tfmt.Fprint(w, "}")', // 3
      '\t\tw.Write([]byte(`{"a": }`))', // 4
      '\t}).Methods("GET")', // 5
      '\tr.HandleFunc("/y", s.y)', // 6
      '}', // 7
      '', // 8
      'func (s *Server) y(w http.ResponseWriter, r *http.Request) {', // 9
      "\tif r.URL.Path == \"/}\" || 'x' == '}' {", // 10
      '\t\treturn', // 11
      '\t}', // 12
      '}', // 13
    );
    assert.deepEqual(ext('main.go', code, 2), [2, 5]);
    assert.deepEqual(ext('main.go', code, 6), [6, 6]);
    assert.deepEqual(ext('main.go', code, 9), [9, 13]);
  });

  it('Java / Spring: annotations above, a brace on the next line, text blocks with braces', () => {
    const code = lines(
      '@RestController', // 1
      'public class ItemController {', // 2
      '    @GetMapping(', // 3
      '        value = "/items/{id}",', // 4
      '        produces = "application/json")', // 5
      '    public ResponseEntity<Item> get(@PathVariable long id)', // 6
      '        throws NotFound', // 7
      '    {', // 8
      '        String s = """', // 9
      '            } not a brace', // 10
      '            """;', // 11
      '        return ResponseEntity.ok(find(id));', // 12
      '    }', // 13
      '}', // 14
    );
    assert.deepEqual(ext('src/main/java/ItemController.java', code, 6), [3, 13]);
  });

  it('Kotlin: a block body and an expression body', () => {
    const code = lines(
      '@GetMapping("/a")', // 1
      'fun a(): String {', // 2
      '    return "}"', // 3
      '}', // 4
      '@GetMapping("/b")', // 5
      'fun b() = ok(listOf(1, 2))', // 6
      'fun c() = 3', // 7
    );
    assert.deepEqual(ext('App.kt', code, 2), [1, 4]);
    assert.deepEqual(ext('App.kt', code, 6), [5, 6]);
  });

  it('Rust: attributes, lifetimes and char literals', () => {
    const code = lines(
      '#[get("/users/{id}")]', // 1
      "async fn user<'a>(path: web::Path<u32>) -> impl Responder {", // 2
      "    let c = '}';", // 3
      '    let s = r#"{ "x": } "#;', // 4
      '    HttpResponse::Ok().body(format!("{}{}", c, s))', // 5
      '}', // 6
      'App::new().route("/x", web::get().to(index))', // 7
    );
    assert.deepEqual(ext('src/main.rs', code, 2), [1, 6]);
    assert.deepEqual(ext('src/main.rs', code, 1), [1, 6]);
  });

  it('Erlang: a function to the `.` that ends the form (not inside strings, atoms, comments, floats), a dispatch tuple to its `}`', () => {
    const code = lines(
      '-module(x_handler).', // 1
      'init(Req0, State) ->', // 2
      '    Body = <<"a. b">>, % not the end.', // 3
      "    X = 'atom. here',", // 4
      '    F = 1.5,', // 5
      '    C = $.,', // 6
      '    Req = cowboy_req:reply(200, #{}, Body, Req0),', // 7
      '    {ok, Req, State};', // 8
      'init(_, S) ->', // 9
      '    {ok, S}.', // 10
      'routes() ->', // 11
      '    [{"/x/:id", [{id, int}],', // 12
      '      x_handler, []},', // 13
      '     {"/y", y_handler, []}].', // 14
    );
    assert.deepEqual(ext('src/x_handler.erl', code, 2), [2, 10]);
    assert.deepEqual(ext('src/x_handler.erl', code, 14), [14, 14]);
  });
});

describe('handlerExtent: other files and unbalanced code', () => {
  it('unknown languages take the paragraph; unbalanced brackets fall back to it; out-of-range and blank lines are start..start', () => {
    const text = lines('GET /a', '  handler: a', '', '    more: 1', '', 'GET /b');
    assert.deepEqual(ext('routes.txt', text, 1), [1, 4]);
    assert.deepEqual(ext('routes.txt', text, 6), [6, 6]);
    assert.deepEqual(ext('routes.txt', text, 3), [3, 3]);
    assert.deepEqual(ext('routes.txt', text, 99), [7, 7]);
    const broken = lines("app.get('/x', (req, res) => {", '  res.send(1);', '', 'app.listen(3000);');
    assert.deepEqual(ext('server.js', broken, 1), [1, 2]);
    assert.deepEqual(ext('server.js', lines('}', 'x'), 1), [1, 2]);
  });
});

describe('handlerExtent: every route of the fixture workspaces ends on a line that closes it', () => {
  const ROOT = join(__dirname, '../../../fixtures');
  const FILES = [
    'discovery/express-ts/src/server.ts',
    'discovery/express-ts/src/routes/orders.ts',
    'discovery/express-ts/src/tracking.ts',
    'discovery/fastapi/app/main.py',
    'discovery/go/internal/server/routes.go',
    'stacks/express-npm/server.js',
    'stacks/koa-jmeter/server.js',
    'stacks/flask-k6/app.py',
    'stacks/fastapi-locust/app/main.py',
    'stacks/go-hey/main.go',
  ];
  const extents = new Map<string, [number, number]>();
  for (const f of FILES) {
    const text = readFileSync(join(ROOT, f), 'utf8');
    for (const r of findRoutes(f, text)) extents.set(`${f}:${r.line + 1}`, ext(f, text, r.line + 1));
  }

  it('specific extents', () => {
    assert.deepEqual(Object.fromEntries(['discovery/express-ts/src/server.ts:12', 'discovery/express-ts/src/routes/orders.ts:7', 'discovery/fastapi/app/main.py:28', 'discovery/go/internal/server/routes.go:10', 'stacks/koa-jmeter/server.js:24', 'stacks/flask-k6/app.py:28', 'stacks/fastapi-locust/app/main.py:32', 'stacks/express-npm/server.js:16'].map((k) => [k, extents.get(k)])), {
      'discovery/express-ts/src/server.ts:12': [12, 14],
      'discovery/express-ts/src/routes/orders.ts:7': [7, 11],
      'discovery/fastapi/app/main.py:28': [23, 29],
      'discovery/go/internal/server/routes.go:10': [10, 12],
      'stacks/koa-jmeter/server.js:24': [24, 30],
      'stacks/flask-k6/app.py:28': [27, 33],
      'stacks/fastapi-locust/app/main.py:32': [31, 36],
      'stacks/express-npm/server.js:16': [16, 20],
    });
  });

  it('each extent contains its route line, and its last line closes it (a `)`/`}`/`;` for JS and Go; an indented body line for Python)', () => {
    assert.equal(extents.size, 37);
    for (const [key, [start, end]] of extents) {
      const [f, l] = [key.replace(/:\d+$/, ''), Number(/:(\d+)$/.exec(key)![1])];
      assert.ok(start <= l && l <= end, key);
      const last = readFileSync(join(ROOT, f), 'utf8').split('\n')[end - 1]!;
      if (f.endsWith('.py')) assert.match(last, /^\s+\S/, key);
      else assert.match(last, /[)};]\s*$/, key);
    }
  });
});

describe('handlerExtent: arbitrary text', () => {
  it('never throws, stays inside the file, and start <= line <= end or start..start (seeded random token soup)', () => {
    const tokens = ['(', ')', '{', '}', '[', ']', ';', ',', '.', ' ', '\n', '\n\n', '    ', '"', "'", '`', '${', '/', '//', '/*', '*/', '#', '%', '@', '@app.get("/x")\n', 'def f(a):\n', 'func x() {\n', 'x', '=>', '->', ':', '$', '#[a]', 'end.', '"""'];
    let seed = 21;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (const file of ['a.ts', 'a.py', 'a.go', 'A.java', 'a.kt', 'a.rs', 'a.erl', 'a.txt']) {
      for (let i = 0; i < 200; i++) {
        const text = Array.from({ length: 1 + rand(80) }, () => tokens[rand(tokens.length)]).join('');
        const count = text.split(/\r\n|\n/).length;
        const line = rand(count);
        const e = handlerExtent(file, text, line);
        assert.ok(e.start >= 0 && e.end < count && e.start <= e.end, `${file} ${JSON.stringify(text)} ${line} -> ${JSON.stringify(e)}`);
        assert.ok(e.start <= line && line <= e.end, `${file} ${JSON.stringify(text)} ${line} -> ${JSON.stringify(e)}`);
      }
    }
  });
});
