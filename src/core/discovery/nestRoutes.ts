import { declarationAfter } from './declarations';
import type { RouteDefinition } from './routeDefinition';
import { joinPath, normalizeRoutePath } from './routePath';
import { collectConsts } from './scanHelpers';
import { type Source, evalString, evalStrings, keywordArg, matchBracket, position, scan, splitArgs } from './sourceText';

/**
 * NestJS: `@Controller('users')` (or `{ path: 'users' }`, or an array) on a class and
 * `@Get(':id')`, `@Post()`, `@All()` … on its methods. The line is the method declaration's
 * (after its decorators), the symbol "Controller.method".
 */
export function nestRoutes(src: Source): RouteDefinition[] {
  if (!/@Controller\s*\(/.test(src.skel)) return [];
  const consts = collectConsts(src, /\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::\s*string\s*)?=\s*/, (span, c) => evalString(src, span, c));
  const routes: RouteDefinition[] = [];
  for (const c of scan(src, /@Controller\s*\(/)) {
    const parts = splitArgs(src, c.index + c[0].length - 1);
    if (!parts) continue;
    let prefixes: string[] = [''];
    const arg = parts.args[0];
    if (arg) {
      if (src.skel[arg.start] === '{') {
        const obj = splitArgs(src, arg.start);
        const path = obj?.args.map((a) => keywordArg(src, a)).find((kw) => kw?.name === 'path');
        prefixes = (path && evalStrings(src, path.value, consts)) ?? [''];
      } else prefixes = evalStrings(src, arg, consts) ?? [''];
    }
    const cls = /^[\s\S]*?\bclass\s+([A-Za-z_$][\w$]*)[^{]*\{/.exec(src.skel.slice(parts.end));
    if (!cls) continue;
    const open = parts.end + cls[0].length - 1;
    const close = matchBracket(src, open);
    if (close < 0) continue;
    const body = src.skel.slice(0, close);
    const re = /@(Get|Post|Put|Patch|Delete|Head|Options|All|Search)\s*\(/g;
    re.lastIndex = open;
    let m: RegExpExecArray | null;
    while ((m = re.exec(body)) !== null) {
      const dec = splitArgs(src, m.index + m[0].length - 1);
      if (!dec) continue;
      const paths = dec.args[0] ? evalStrings(src, dec.args[0], consts) : [''];
      if (!paths) continue;
      const decl = declarationAfter(src, dec.end);
      const name = /^(?:(?:public|private|protected|static|async|override|readonly)\s+)*([A-Za-z_$][\w$]*)\s*[(<]/.exec(src.skel.slice(decl, decl + 300));
      if (!name) continue;
      const pos = position(src, decl);
      const method = m[1] === 'All' ? null : m[1]!.toUpperCase();
      for (const prefix of prefixes) {
        for (const p of paths) {
          routes.push({ method, path: normalizeRoutePath(joinPath(joinPath('', prefix), p)), line: pos.line, column: pos.column, symbol: `${cls[1]}.${name[1]}`, framework: 'nestjs' });
        }
      }
    }
  }
  return routes;
}
