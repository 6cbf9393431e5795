import { findRoutes } from '../../../../src/core/discovery/findRoutes';

/** Routes as compact "METHOD path @line symbol" strings (method "*" for any), in file order. */
export function routesOf(relPath: string, lines: string[]): string[] {
  return findRoutes(relPath, lines.join('\n')).map((r) => `${r.method ?? '*'} ${r.path} @${r.line} ${r.symbol ?? '-'}`);
}
