// External programs some tests need, how to tell whether each is here, and the command that
// installs it. A test (or a whole stage) whose tool is missing is skipped with a notice naming the
// tool and that command: never silently, never by failing or aborting the suite. CommonJS, so that
// both the .mjs runners and the TypeScript tests (CommonJS) can load it.
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');

const CHROMIUM = process.env.PERF_BUDGETS_CHROMIUM ?? '/usr/bin/chromium';
const onPath = (cmd) => spawnSync('sh', ['-c', 'command -v "$1"', 'sh', cmd], { stdio: 'ignore' }).status === 0;
// The interpreter the harnesses run (examples/lib/bench-lib.mjs PY): Debian's, whose packages the
// install commands below add; a pyenv or venv python3 first on PATH does not see them.
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const pythonImports = (...mods) => spawnSync(PYTHON, ['-c', mods.map((m) => `import ${m}`).join('; ')], { stdio: 'ignore' }).status === 0;

/** name -> { here(): boolean, install: string } */
const TOOLS = {
  chromium: { here: () => existsSync(CHROMIUM), install: 'apt-get install -y chromium' },
  git: { here: () => onPath('git'), install: 'apt-get install -y git' },
  npm: { here: () => onPath('npm'), install: 'apt-get install -y npm' },
  python3: { here: () => onPath('python3'), install: 'apt-get install -y python3' },
  fastapi: { here: () => pythonImports('fastapi', 'uvicorn'), install: 'apt-get install -y python3-fastapi python3-uvicorn' },
  locust: { here: () => onPath('locust') || pythonImports('locust'), install: 'apt-get install -y python3-locust' },
  'pytest-benchmark': { here: () => pythonImports('pytest', 'pytest_benchmark'), install: 'apt-get install -y python3-pytest-benchmark' },
  go: { here: () => onPath('go'), install: 'apt-get install -y golang-go' },
  hey: { here: () => onPath('hey'), install: 'apt-get install -y hey' },
  erlang: { here: () => onPath('erlc') && onPath('erl'), install: 'apt-get install -y erlang-base' },
  // Checked by test/rig/codeServer.mjs before it installs code-server from npm.
  'libkrb5-dev': { here: () => existsSync('/usr/include/gssapi/gssapi.h'), install: 'apt-get install -y libkrb5-dev' },
  ripgrep: { here: () => onPath('rg'), install: 'apt-get install -y ripgrep' },
  // script(1): a pseudo-terminal for the CLI's interactive prompts.
  script: { here: () => onPath('script'), install: 'apt-get install -y util-linux' },
  'build-essential': { here: () => onPath('make') && onPath('g++'), install: 'apt-get install -y build-essential' },
};

/** The tools of `names` that are missing, each { tool, install }. An unknown name is a bug in the test. */
function missingTools(names) {
  return names.flatMap((name) => {
    const t = TOOLS[name];
    if (!t) throw new Error(`test/rig/tools.cjs: unknown tool "${name}"`);
    return t.here() ? [] : [{ tool: name, install: t.install }];
  });
}

/** "skipped: needs go, hey; install with: apt-get install -y golang-go && apt-get install -y hey" */
function skipNotice(missing) {
  return `skipped: needs ${missing.map((m) => m.tool).join(', ')}, not installed; install with: ${[...new Set(missing.map((m) => m.install))].join(' && ')}`;
}

/**
 * In a mocha hook or test: skips it (a `before` hook: its whole describe) when one of `names` is
 * missing, after printing the notice. Returns normally when all are there.
 */
function requireTools(ctx, names) {
  const missing = missingTools(names);
  if (!missing.length) return;
  console.log(`      ${skipNotice(missing)}`);
  ctx.skip();
}

module.exports = { TOOLS, missingTools, skipNotice, requireTools };
