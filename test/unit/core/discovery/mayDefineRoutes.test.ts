import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { analyzeFile, analyzeFileFully, findRoutes, languageOf } from '../../../../src/core/discovery/findRoutes';
import { mayDefineRoutes } from '../../../../src/core/discovery/mayDefineRoutes';
import type { FileFacts } from '../../../../src/core/discovery/moduleFacts';

const REPO = join(__dirname, '../../../..');

/** Every source file findRoutes reads under the repository's fixtures and examples. */
function sourceFiles(): Array<{ rel: string; text: string }> {
  const out: Array<{ rel: string; text: string }> = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const full = join(dir, entry);
      if (entry === 'node_modules') continue;
      if (statSync(full).isDirectory()) walk(full);
      else if (languageOf(full) && statSync(full).size < 2 << 20) out.push({ rel: relative(REPO, full).split('\\').join('/'), text: readFileSync(full, 'utf8') });
    }
  };
  walk(join(REPO, 'test/fixtures'));
  walk(join(REPO, 'examples'));
  return out;
}

/** What a RouteIndex keeps of a file. */
const kept = (f: FileFacts): boolean => f.routes.length > 0 || f.mounts.length > 0 || f.globalPrefix !== null;

describe('discovery: the pre-filter (mayDefineRoutes)', () => {
  it('never rules out a fixture or example file that the full analysis keeps, and rules out some', () => {
    const files = sourceFiles();
    let keptCount = 0;
    let ruledOut = 0;
    for (const { rel, text } of files) {
      const full = analyzeFileFully(rel, languageOf(rel)!, text);
      if (kept(full)) keptCount++;
      if (mayDefineRoutes(rel, languageOf(rel)!, text)) continue;
      ruledOut++;
      assert.equal(kept(full), false, `${rel}: ruled out, but the full analysis keeps it`);
      assert.deepEqual(analyzeFile(rel, text).routes, []);
    }
    // Not vacuous: route files are there, and so are files the pre-filter spares the analysis.
    assert.ok(keptCount >= 20, `only ${keptCount} files with routes among ${files.length}`);
    assert.ok(ruledOut >= 5, `only ${ruledOut} of ${files.length} files ruled out`);
  });

  it('keeps a JS route whose tokens a comment separates, before or after the method name', () => {
    const variants = [
      "app.get('/a', h)",
      "app./* x */get('/a', h)",
      "app. // x\n  get('/a', h)",
      "app.get /* x */ ('/a', h)",
      "app.get // x\n('/a', h)",
      "app.get<Env>('/a', h)",
      "app /* x */ . /* y */ get /* z */ ('/a', h)",
    ];
    for (const v of variants) {
      const text = `import express from 'express';\nconst app = express();\n${v};\n`;
      assert.deepEqual(findRoutes('src/server.ts', text).map((r) => `${r.method} ${r.path}`), ['GET /a'], v);
      assert.equal(mayDefineRoutes('src/server.ts', 'js', text), true, v);
    }
  });

  it('keeps mounts, Nest controllers, global prefixes and routes given by the file path', () => {
    const cases: Array<[string, string]> = [
      ['src/app.ts', "import { orders } from './orders';\napp.use('/api', orders);"],
      ['src/app.ts', "app.register(require('./plugin'));"],
      ['src/main.ts', "app.setGlobalPrefix('api');"],
      ['src/users.controller.ts', "@Controller('users')\nexport class UsersController {\n  @Get(':id')\n  one() {}\n}"],
      ['pages/api/users/[id].ts', 'export default function handler(req, res) {}'],
      ['app/api/users/route.ts', 'export async function GET() {}'],
    ];
    for (const [rel, text] of cases) {
      assert.equal(kept(analyzeFileFully(rel, 'js', text)), true, `${rel}: ${text}`);
      assert.equal(mayDefineRoutes(rel, 'js', text), true, `${rel}: ${text}`);
    }
  });

  it('rules out JS and Java without the tokens their finders need, and never a language it has no test for', () => {
    assert.equal(mayDefineRoutes('src/util.ts', 'js', "const m = new Map();\nm.set('a', 1);\nexport const get = (k) => m;"), false);
    assert.equal(mayDefineRoutes('src/Util.java', 'java', 'class Util { static int twice(int x) { return 2 * x; } }'), false);
    assert.equal(mayDefineRoutes('src/Api.java', 'java', '@RestController class Api { @GetMapping("/x") String x() { return ""; } }'), true);
    for (const lang of ['python', 'go', 'rust', 'erlang'] as const) assert.equal(mayDefineRoutes(`a.${lang}`, lang, 'x = 1'), true, lang);
  });
});
