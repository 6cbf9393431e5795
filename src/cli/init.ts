/**
 * `perf-budgets init`: proposes perf-budgets.json for the folder (src/node/init/planSetup.ts),
 * says what it found and what it did not, asks a few questions on a terminal, and writes the
 * file (never over an existing one without --force, which keeps a backup).
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '../core/config/parseConfig';
import { planIsEmpty, SETUP_DEFAULTS, type SetupChoices, type SetupPlan } from '../core/init/plan';
import { durationText, percentText } from '../core/init/readable';
import { renderConfig } from '../core/init/renderConfig';
import { parseDuration, parsePercent } from '../core/units';
import { planSetup } from '../node/init/planSetup';
import { CONFIG_NAME, ConfigExistsError, writeSetup } from '../node/init/writeSetup';

export interface InitIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  cwd: string;
}

/**
 * The three prompts `init` asks with, loaded only when a terminal asks (the other commands never
 * load them). Each from its own package: @inquirer/prompts would also bundle its editor prompt,
 * whose external editor and encodings were a third of the CLI's bundle.
 */
const prompts = () => ({
  checkbox: (require('@inquirer/checkbox') as typeof import('@inquirer/checkbox', { with: { 'resolution-mode': 'import' } })).default,
  confirm: (require('@inquirer/confirm') as typeof import('@inquirer/confirm', { with: { 'resolution-mode': 'import' } })).default,
  input: (require('@inquirer/input') as typeof import('@inquirer/input', { with: { 'resolution-mode': 'import' } })).default,
});

const isTty = (s: unknown) => (s as { isTTY?: boolean }).isTTY === true;

export async function init(argv: string[], io: InitIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { yes: { type: 'boolean', short: 'y', default: false }, 'dry-run': { type: 'boolean', default: false }, force: { type: 'boolean', default: false } },
  });
  const note = (line: string) => io.stderr.write(`perf-budgets: ${line}\n`);
  const dryRun = values['dry-run'];
  const target = path.join(io.cwd, CONFIG_NAME);
  // Refused before any work: the existing file is never touched without --force.
  if (!dryRun && !values.force && existsSync(target)) {
    note(`${CONFIG_NAME} already exists; use --force (keeps a backup)`);
    return 2;
  }

  const abort = new AbortController();
  const onSigint = () => abort.abort(new Error('cancelled (SIGINT)'));
  process.once('SIGINT', onSigint);
  let plan: SetupPlan;
  try {
    plan = await planSetup(io.cwd, { signal: abort.signal });
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
  for (const line of plan.found) note(`found ${line}`);
  for (const line of plan.notFound) note(line);
  if (planIsEmpty(plan)) {
    note(
      'nothing to set up here: no routes in the source files, no load-test script or command, no result files. Run init in the folder of your service, or write perf-budgets.json by hand (see the README); nothing written',
    );
    return 2;
  }

  const interactive = !values.yes && !dryRun && isTty(process.stdin) && isTty(io.stdout);
  if (!values.yes && !dryRun && !interactive) note('not a terminal: writing the proposal as it is (as with --yes)');
  let choices: SetupChoices = {};
  if (interactive) {
    const asked = await ask(plan, io);
    if (asked === null) {
      note('nothing written');
      return 0;
    }
    choices = asked;
  }
  const text = renderConfig(plan, choices);
  // The proposal must be a valid config as written; an InputError here is a bug, said as such.
  const config = parseConfig(text, `${CONFIG_NAME} (proposed)`);
  if (dryRun) {
    io.stdout.write(text);
    note('--dry-run: nothing written');
    return 0;
  }
  let backup: string | null;
  try {
    ({ backup } = await writeSetup(io.cwd, text, { force: values.force }));
  } catch (e) {
    if (!(e instanceof ConfigExistsError)) throw e;
    note(e.message);
    return 2;
  }
  if (backup) note(`kept the previous file as ${path.relative(io.cwd, backup)}`);
  const n = config.budgets.length;
  const m = config.benchmarks.length;
  io.stdout.write(`wrote ${CONFIG_NAME} (${n} budget${n === 1 ? '' : 's'}, ${m} benchmark${m === 1 ? '' : 's'}); next: perf-budgets run (or check)\n`);
  return 0;
}

/** The questions on a terminal; null when the user declines to write (or presses Ctrl-C). */
async function ask(plan: SetupPlan, io: InitIo): Promise<SetupChoices | null> {
  const { checkbox, confirm, input } = prompts();
  const context = { input: process.stdin, output: io.stdout as NodeJS.WritableStream & { isTTY?: boolean } };
  try {
    const choices: SetupChoices = {};
    if (plan.benchmarks.length > 0) {
      choices.benchmarks = await checkbox(
        {
          message: 'Benchmarks to enable (space toggles, enter accepts)',
          choices: plan.benchmarks.map((b) => ({ name: `${b.name}: ${b.description}`, value: b.name, checked: b.enabled })),
        },
        context,
      );
    }
    if (plan.budgets.length > 0) {
      choices.handlers = await checkbox(
        {
          message: 'Handlers to budget',
          choices: plan.budgets.map((b) => ({ name: `${b.handler}${b.from === 'results' ? ' (from results)' : ''}`, value: b.handler, checked: true })),
          pageSize: 15,
        },
        context,
      );
    }
    const p95 = await input(
      {
        message: 'p95 budget of handlers without results',
        default: durationText(SETUP_DEFAULTS.p95Ms),
        validate: (v) => (parseDuration(v.trim()) !== undefined ? true : 'a duration such as "500ms" or "1.5s"'),
      },
      context,
    );
    choices.defaultP95Ms = parseDuration(p95.trim())!;
    const err = await input(
      {
        message: 'Error-rate budget',
        default: percentText(SETUP_DEFAULTS.errorRate),
        validate: (v) => {
          const f = parsePercent(v.trim());
          return f !== undefined && f <= 1 ? true : 'a percentage such as "1%" or "0.5%"';
        },
      },
      context,
    );
    choices.defaultErrorRate = parsePercent(err.trim())!;
    io.stdout.write(`\n${renderConfig(plan, choices)}\n`);
    return (await confirm({ message: `Write ${CONFIG_NAME}?`, default: true }, context)) ? choices : null;
  } catch (e) {
    // Ctrl-C in a prompt: nothing is written.
    if (e instanceof Error && e.name === 'ExitPromptError') return null;
    throw e;
  }
}
