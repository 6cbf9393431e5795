import { declarationAfter } from './declarations';
import type { RouteDefinition } from './routeDefinition';
import { joinPath, normalizeRoutePath } from './routePath';
import { collectConsts } from './scanHelpers';
import { type Source, type Span, evalString, evalStrings, keywordArg, matchBracket, position, scan, splitArgs } from './sourceText';

const MAPPINGS: Record<string, string | null> = {
  GetMapping: 'GET', PostMapping: 'POST', PutMapping: 'PUT', PatchMapping: 'PATCH', DeleteMapping: 'DELETE', RequestMapping: null,
  // Micronaut
  Get: 'GET', Post: 'POST', Put: 'PUT', Patch: 'PATCH', Delete: 'DELETE', Head: 'HEAD', Options: 'OPTIONS',
};
const JAXRS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

interface Annotated {
  name: string;
  args: Span[];
  /** First token of the declaration the annotation belongs to. */
  decl: number;
}

/** An annotation every Spring, Micronaut or JAX-RS route file holds. */
export const SPRING_ANNOTATION = /@(?:\w+Mapping|Path|Controller|GET|POST|PUT|DELETE|PATCH)\b/;

/**
 * Spring (`@GetMapping`, `@RequestMapping(value=…, method=RequestMethod.GET)` with a class-level
 * `@RequestMapping` prefix), Micronaut (`@Controller("/p")` + `@Get("/x")`) and JAX-RS
 * (`@Path` + `@GET`) in Java or Kotlin. The line is the method declaration's, after its annotations.
 */
export function springRoutes(src: Source): RouteDefinition[] {
  if (!SPRING_ANNOTATION.test(src.skel)) return [];
  const consts = collectConsts(src, /\b(?:static\s+final\s+String|final\s+static\s+String|const\s+val|val)\s+([A-Za-z_]\w*)\s*(?::\s*String\s*)?=\s*/, (span, c) => evalString(src, span, c));
  const annotations: Annotated[] = [];
  for (const m of scan(src, /@([A-Za-z_]\w*)\b\s*(\()?/)) {
    const parts = m[2] ? splitArgs(src, m.index + m[0].length - 1) : { args: [], end: m.index + m[0].length };
    if (!parts) continue;
    annotations.push({ name: m[1]!, args: parts.args, decl: declarationAfter(src, parts.end) });
  }
  const byDecl = new Map<number, Annotated[]>();
  for (const a of annotations) byDecl.set(a.decl, [...(byDecl.get(a.decl) ?? []), a]);

  const classes: Array<{ body: Span; prefixes: string[]; name: string }> = [];
  const methods: Array<{ decl: number; name: string; anns: Annotated[] }> = [];
  for (const [decl, anns] of byDecl) {
    const head = src.skel.slice(decl, decl + 400);
    const cls = /^(?:(?:public|protected|private|internal|abstract|final|open|data|static|sealed)\s+)*(?:class|interface|object)\s+([A-Za-z_]\w*)/.exec(head);
    if (cls) {
      const open = src.skel.indexOf('{', decl + cls[0].length);
      const close = open < 0 ? -1 : matchBracket(src, open);
      if (close < 0) continue;
      const mapping = anns.find((a) => a.name === 'RequestMapping' || a.name === 'Controller' || a.name === 'Path');
      const prefixes = (mapping && pathsOf(src, mapping.args, consts)) ?? [''];
      classes.push({ body: { start: open, end: close }, prefixes, name: cls[1]! });
      continue;
    }
    const fn =
      /^(?:(?:public|protected|private|internal|open|override|suspend|final|inline|operator)\s+)*fun\s+(?:<[^>]*>\s*)?(?:[\w.]+\.)?([A-Za-z_]\w*)\s*\(/.exec(head) ??
      /^(?:(?:public|protected|private|static|final|synchronized|abstract|default|native)\s+)*(?:<[^>]*>\s*)?[\w.$]+(?:\s*<(?:[^<>]|<[^<>]*>)*>)?(?:\s*\[\s*\])*\s+([A-Za-z_]\w*)\s*\(/.exec(head);
    if (fn) methods.push({ decl, name: fn[1]!, anns });
  }

  const routes: RouteDefinition[] = [];
  for (const m of methods) {
    const owner = classes.filter((c) => m.decl > c.body.start && m.decl < c.body.end).sort((a, b) => b.body.start - a.body.start)[0];
    const pos = position(src, m.decl);
    const symbol = owner ? `${owner.name}.${m.name}` : m.name;
    const push = (method: string | null, paths: string[], framework: string): void => {
      for (const prefix of owner?.prefixes ?? ['']) {
        for (const p of paths) routes.push({ method, path: normalizeRoutePath(joinPath(joinPath('', prefix), p)), line: pos.line, column: pos.column, symbol, framework });
      }
    };
    const mapping = m.anns.find((a) => a.name in MAPPINGS);
    if (mapping) {
      const spring = mapping.name.endsWith('Mapping');
      if (!spring && !owner) continue;
      const paths = pathsOf(src, mapping.args, consts) ?? [''];
      let verbs: Array<string | null> = [MAPPINGS[mapping.name]!];
      if (mapping.name === 'RequestMapping') {
        const kw = mapping.args.map((a) => keywordArg(src, a)).find((k) => k?.name === 'method');
        const listed = kw ? [...src.text.slice(kw.value.start, kw.value.end).matchAll(/\b(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|TRACE)\b/g)].map((x) => x[1]!) : [];
        if (listed.length > 0) verbs = listed;
      }
      for (const v of verbs) push(v, paths, spring ? 'spring' : 'micronaut');
      continue;
    }
    const jax = m.anns.find((a) => JAXRS.has(a.name));
    if (jax) {
      const path = m.anns.find((a) => a.name === 'Path');
      push(jax.name, (path && pathsOf(src, path.args, consts)) ?? [''], 'jax-rs');
    }
  }
  return routes.sort((a, b) => a.line - b.line);
}

/** `("/x")`, `(value = "/x")`, `(path = {"/a", "/b"})`, Kotlin `(["/a"])`, `("/a", "/b")`. */
function pathsOf(src: Source, args: Span[], consts: Map<string, string>): string[] | null {
  const named = args.map((a) => keywordArg(src, a)).find((k) => k && (k.name === 'value' || k.name === 'path' || k.name === 'uri' || k.name === 'uris'));
  if (named) return evalStrings(src, named.value, consts);
  const positional = args.filter((a) => !keywordArg(src, a));
  if (positional.length === 0) return null;
  const out: string[] = [];
  for (const a of positional) {
    const v = evalStrings(src, a, consts);
    if (!v) return null;
    out.push(...v);
  }
  return out;
}
