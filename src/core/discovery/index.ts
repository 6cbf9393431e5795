export { analyzeFile, findRoutes, languageOf, ROUTE_SOURCE_EXTENSIONS } from './findRoutes';
export type { FileFacts, ModuleRef, MountFact, RouteScope, ScopedRoute } from './moduleFacts';
export { keptByIndex } from './moduleFacts';
export { findSymbol, symbolModuleFile, type SymbolPosition } from './findSymbol';
export { matchBudgets, type BudgetLocations, type Location, type SymbolResolver } from './matchBudgets';
export { RouteIndex } from './routeIndex';
export type { FileRoute, RouteDefinition } from './routeDefinition';
