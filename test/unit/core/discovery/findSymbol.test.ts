import { strict as assert } from 'node:assert';
import { findSymbol, symbolModuleFile } from '../../../../src/core/discovery/findSymbol';

describe('discovery: findSymbol', () => {
  it('Python: def / async def / class, qualified names, commented and docstring mentions skipped', () => {
    const views = ['# def detail(request): old', '"""', 'def detail(request): in a docstring', '"""', 'class VoteView(View):', '    def get(self, request):', '        pass', '', 'async def detail(request, question_id):', '    pass'].join('\n');
    assert.deepEqual(findSymbol('polls/views.py', views, 'views.detail'), { line: 8, column: 0 });
    assert.deepEqual(findSymbol('polls/views.py', views, 'views.VoteView'), { line: 4, column: 0 });
    assert.deepEqual(findSymbol('polls/views.py', views, 'VoteView.get'), { line: 5, column: 4 });
    assert.equal(findSymbol('polls/views.py', views, 'missing'), null);
  });

  it('JS/TS: function, const arrow, class method, object method, exports', () => {
    const ts = [
      '// function getUser() {}',
      'export async function getUser(req, res) {}',
      'export const listUsers = async (req: Request) => {};',
      'export class UsersController {',
      '  async findOne(id: string): Promise<User> {',
      '    return this.repo.findOne(id);',
      '  }',
      '}',
      'const handlers = {',
      '  remove: async (req, res) => {},',
      '};',
      'exports.legacy = function (req, res) {};',
    ].join('\n');
    assert.deepEqual(findSymbol('src/users.ts', ts, 'getUser'), { line: 1, column: 0 });
    assert.deepEqual(findSymbol('src/users.ts', ts, 'listUsers'), { line: 2, column: 0 });
    assert.deepEqual(findSymbol('src/users.ts', ts, 'UsersController.findOne'), { line: 4, column: 2 });
    assert.deepEqual(findSymbol('src/users.ts', ts, 'handlers.remove'), { line: 9, column: 2 });
    assert.deepEqual(findSymbol('src/users.ts', ts, 'legacy'), { line: 11, column: 0 });
  });

  it('Go functions and methods, Java and Kotlin methods, Rust fns', () => {
    const go = ['package api', '// func GetUser() {}', 'func (h *Handler) GetUser(w http.ResponseWriter, r *http.Request) {}', 'func serveFile(w http.ResponseWriter, r *http.Request) {}'].join('\n');
    assert.deepEqual(findSymbol('api/users.go', go, 'h.GetUser'), { line: 2, column: 0 });
    assert.deepEqual(findSymbol('api/users.go', go, 'serveFile'), { line: 3, column: 0 });
    const java = ['class TrackingController {', '    Tracking helper() { return get(null); }', '    @GetMapping("/{id}")', '    public ResponseEntity<Tracking> get(@PathVariable String id) {', '        return null;', '    }', '}'].join('\n');
    assert.deepEqual(findSymbol('TrackingController.java', java, 'TrackingController.get'), { line: 3, column: 4 });
    assert.deepEqual(findSymbol('UserController.kt', 'class C {\n    override suspend fun user(id: Long): User = TODO()\n}', 'C.user'), { line: 1, column: 4 });
    assert.deepEqual(findSymbol('src/users.rs', '// fn show() {}\npub(crate) async fn show(Path(id): Path<u32>) {}', 'users::show'), { line: 1, column: 0 });
  });

  it('Erlang: init/2 in the handler module, by arity', () => {
    const erl = ['-module(tracking_h).', '%% init(Req, State) -> old.', 'init(Req) -> ok.', 'init(Req0, State) ->', '    {ok, Req0, State}.'].join('\n');
    assert.deepEqual(findSymbol('src/tracking_h.erl', erl, 'tracking_h:init/2'), { line: 3, column: 0 });
    assert.equal(symbolModuleFile('tracking_h:init/2'), 'tracking_h.erl');
    assert.equal(symbolModuleFile('views.detail'), null);
  });

  it('unknown languages and invalid names give null', () => {
    assert.equal(findSymbol('README.md', 'def x(): pass', 'x'), null);
    assert.equal(findSymbol('a.py', 'def x(): pass', 'x y'), null);
  });
});
