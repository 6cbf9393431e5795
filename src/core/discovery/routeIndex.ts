import { findRoutes } from './findRoutes';
import type { FileRoute, RouteDefinition } from './routeDefinition';

/**
 * Routes per file, so an editor re-scans only the files that change. Files without routes are
 * not kept. Paths are workspace-relative with "/" separators (backslashes are converted).
 */
export class RouteIndex {
  private readonly byFile = new Map<string, RouteDefinition[]>();

  constructor(private readonly scan: (relPath: string, content: string) => RouteDefinition[] = findRoutes) {}

  /** Re-scans one file; true when its routes changed. */
  update(relPath: string, content: string): boolean {
    const file = normalize(relPath);
    const routes = this.scan(file, content);
    const before = this.byFile.get(file) ?? [];
    if (routes.length === 0) this.byFile.delete(file);
    else this.byFile.set(file, routes);
    return JSON.stringify(before) !== JSON.stringify(routes);
  }

  /** Forgets a deleted file; true when it had routes. */
  remove(relPath: string): boolean {
    return this.byFile.delete(normalize(relPath));
  }

  routesIn(relPath: string): readonly RouteDefinition[] {
    return this.byFile.get(normalize(relPath)) ?? [];
  }

  /** Every route, by file then line. */
  all(): FileRoute[] {
    return [...this.byFile.keys()].sort().flatMap((file) => this.byFile.get(file)!.map((r) => ({ ...r, file })));
  }

  get fileCount(): number {
    return this.byFile.size;
  }

  clear(): void {
    this.byFile.clear();
  }
}

function normalize(relPath: string): string {
  return relPath.replace(/\\/g, '/').replace(/^\.\//, '');
}
