/** Types of test/rig/tools.cjs for the TypeScript tests. */
export type ToolName = 'chromium' | 'git' | 'npm' | 'python3' | 'fastapi' | 'locust' | 'pytest-benchmark' | 'go' | 'hey' | 'erlang' | 'libkrb5-dev' | 'ripgrep' | 'script' | 'build-essential';
export const TOOLS: Record<ToolName, { here(): boolean; install: string }>;
export function missingTools(names: ToolName[]): Array<{ tool: ToolName; install: string }>;
export function skipNotice(missing: Array<{ tool: string; install: string }>): string;
export function requireTools(ctx: { skip(): void }, names: ToolName[]): void;
