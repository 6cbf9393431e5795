import { routedByPlace } from './fileRoutes';
import { JS_GLOBAL_PREFIX_METHOD, JS_MOUNT_METHODS, JS_ROUTE_METHODS } from './javascriptRoutes';
import type { Lang } from './sourceText';
import { SPRING_ANNOTATION } from './springRoutes';

/*
 * Why a test on the raw text can be exact. The skeleton (sourceText.ts) is the text with regions
 * blanked, and every blanked region either follows a delimiter that stays (a quote, a backtick, a
 * regex's "/", a template's "}", Erlang's "$") or is a comment, whose first character in the text is "/", "#"
 * or "%". So a run of the skeleton with no blank in it is in the text, verbatim, at the same
 * offset, and where the skeleton has spaces between two tokens the text has spaces or comments.
 * A finder's regex that matches the skeleton therefore leaves its tokens in the text: a file
 * without them cannot give a route.
 */

const JS_CALLED = [...new Set([...JS_ROUTE_METHODS, ...JS_MOUNT_METHODS, JS_GLOBAL_PREFIX_METHOD])].join('|');
/**
 * A JS/TS file the index keeps (routes, mounts or a Nest global prefix) calls one of the methods
 * after a "." (`app.get(`, `app.get<Env>(`, `router.use(`; javascriptRoutes.ts), decorates a
 * class with `@Controller` (nestRoutes.ts), or is routed by its place in the tree (fileRoutes.ts).
 * The alternatives after the first cover a comment between the "." and the name, or between the
 * name and its "(" or "<".
 */
const JS_TOKENS = new RegExp(String.raw`\.\s*(?:${JS_CALLED})\s*[(<]|\.\s*\/[/*]|\b(?:${JS_CALLED})\s*\/[/*]|@Controller\b`);

/**
 * False only when analyzeFile's finders cannot find a route, a mount or a global prefix in the
 * file of language `lang` (the facts a RouteIndex keeps), decided from tokens they need, on the
 * raw text:
 * - JS/TS: JS_TOKENS, or a path that fileRoutes reads (pages/api, app/…/route.ts, api/);
 * - Java and Kotlin: a Spring, Micronaut or JAX-RS annotation (SPRING_ANNOTATION);
 * - Python, Go, Rust and Erlang: no test (always true): their files are analysed in full.
 * Exactness is tested on every fixture against the full analysis (and measured in the bench on
 * real dependency code).
 */
export function mayDefineRoutes(relPath: string, lang: Lang, content: string): boolean {
  switch (lang) {
    case 'js':
      return routedByPlace(relPath) || JS_TOKENS.test(content);
    case 'java':
    case 'kotlin':
      return SPRING_ANNOTATION.test(content);
    default:
      return true;
  }
}
