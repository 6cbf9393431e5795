// Replaced at bundle time by esbuild's `define`; the fallback serves tests run from source.
declare const __PERF_BUDGETS_VERSION__: string | undefined;
export const VERSION: string = typeof __PERF_BUDGETS_VERSION__ === 'string' ? __PERF_BUDGETS_VERSION__ : '0.0.0-dev';
