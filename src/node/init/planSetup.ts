/**
 * planSetup(root): what `perf-budgets init` and the editor's "Set Up Budgets…" propose for a
 * folder. It walks the folder (bounded: walkFolder.ts), reads the files that can tell something
 * with the safe readers (regular files only, a size cap, no symlink out of the folder), and hands
 * their texts to the pure detectors in src/core/init. It only reads: no process is started.
 */
import { InputError } from '../../core/errors';
import { RouteIndex, ROUTE_SOURCE_EXTENSIONS } from '../../core/discovery';
import { decodeHead, detectFormat, HEAD_BYTES } from '../../core/formats/index';
import { buildPlan, type ResultFacts, type SeriesFacts } from '../../core/init/buildPlan';
import { invocationsIn, makefileCommands, packageJsonCommands, shellCommands, type CommandLine } from '../../core/init/invocations';
import { detectLoadScript } from '../../core/init/loadScripts';
import type { DetectedLoadTest, SetupPlan } from '../../core/init/plan';
import { detectStart, START_SOURCES } from '../../core/init/startCommand';
import { errorRateOf, percentileOf } from '../../core/series';
import { withoutBom } from '../../core/utf8';
import { summarizeFile } from '../read/summarizeFile';
import { openRegularFile, readSmallFile } from '../safeFs';
import { walkFolder, type WalkedFile } from './walkFolder';

/** Source and script files bigger than this are skipped. */
export const MAX_SOURCE_BYTES = 2 * 1024 * 1024;
/** Result files bigger than this are not read during set-up (their benchmark still reads them). */
const MAX_RESULT_BYTES = 256 * 1024 * 1024;
/** Result files read at most, and series kept per file. */
const MAX_RESULT_FILES = 50;
const MAX_SERIES = 500;
/** Texts kept for the start-command detectors, in total. */
const MAX_KEPT_BYTES = 64 * 1024 * 1024;

const SOURCE_EXT = new Set(ROUTE_SOURCE_EXTENSIONS);
const SCRIPT_EXT = new Set(['jmx', 'yml', 'yaml', 'scala', 'java', 'kt', 'py', 'js', 'mjs', 'cjs', 'ts', 'mts', 'cts', 'jsx', 'tsx']);
const RESULT_EXT = new Set(['csv', 'json', 'jtl', 'txt', 'hlog', 'ndjson', 'log', 'jsonl']);
const MAKEFILE = /^(?:GNUmakefile|makefile|Makefile|.+\.mk)$/;
const START_FILE = /^(?:package\.json|Procfile|Dockerfile(?:\..+)?|pyproject\.toml|go\.mod|Cargo\.toml|pom\.xml|build\.gradle(?:\.kts)?|application(?:-\w+)?\.(?:properties|ya?ml)|manage\.py|mvnw|gradlew)$/;
/** Folders whose files may be results at any depth; elsewhere only the top two levels are looked at. */
const RESULT_DIR = /^(?:perf|results?|reports?|load|loadtests?|bench.*|benchmarks?)$/i;
const NOT_RESULTS = /^(?:package(?:-lock)?\.json|tsconfig.*\.json|jsconfig\.json|perf-budgets\.json|composer\.json|\.eslintrc.*|.*\.schema\.json|requirements.*\.txt|CMakeLists\.txt|LICENSE.*|README.*|CHANGELOG.*)$/i;

function extOf(name: string): string {
  return /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
}

function baseOf(rel: string): string {
  return rel.slice(rel.lastIndexOf('/') + 1);
}

export async function planSetup(root: string, options: { signal?: AbortSignal; maxFiles?: number } = {}): Promise<SetupPlan> {
  const { signal } = options;
  const walk = await walkFolder(root, { ...(options.maxFiles !== undefined ? { maxFiles: options.maxFiles } : {}), ...(signal ? { signal } : {}) });
  const found: string[] = [];
  const notFound: string[] = [];
  if (walk.truncated) notFound.push(`stopped after ${walk.files.length} files: the rest of the folder was not looked at`);
  for (const l of walk.outsideLinks.slice(0, 5)) notFound.push(`${l}: a symlink leading outside the folder; not followed`);

  const index = new RouteIndex();
  const texts = new Map<string, string>();
  let kept = 0;
  const loadTests: DetectedLoadTest[] = [];
  const commandLines: CommandLine[] = [];
  const resultCandidates: WalkedFile[] = [];
  let tooBig = 0;

  const read = async (f: WalkedFile): Promise<string | null> => {
    if (f.size > MAX_SOURCE_BYTES) {
      tooBig++;
      return null;
    }
    try {
      return withoutBom(await readSmallFile(f.abs, { root, shown: f.rel, maxBytes: MAX_SOURCE_BYTES }));
    } catch {
      return null;
    }
  };

  for (const f of walk.files) {
    signal?.throwIfAborted();
    const base = baseOf(f.rel);
    const ext = extOf(base);
    const dirs = f.rel.split('/').slice(0, -1);
    const resultLike = RESULT_EXT.has(ext) && !NOT_RESULTS.test(base) && !dirs.includes('.vscode') && (dirs.length <= 1 || dirs.some((d) => RESULT_DIR.test(d)));
    if (resultLike) resultCandidates.push(f);
    const isSource = SOURCE_EXT.has(ext);
    const isScript = SCRIPT_EXT.has(ext);
    const isShell = ext === 'sh' || ext === 'bash';
    const isMake = MAKEFILE.test(base);
    const isStart = START_FILE.test(base);
    if (!isSource && !isScript && !isShell && !isMake && !isStart) continue;
    if (ext === 'json' && base !== 'package.json') continue;
    const text = await read(f);
    if (text === null) continue;
    if (isSource) index.update(f.rel, text);
    if (isScript) {
      const finding = detectLoadScript(f.rel, text);
      if (finding && 'problem' in finding) notFound.push(`${finding.problem}; skipped`);
      else if (finding) loadTests.push(finding.test);
    }
    if (base === 'package.json') {
      const { lines, problem } = packageJsonCommands(f.rel, text);
      if (problem) notFound.push(`${problem}; skipped`);
      commandLines.push(...lines);
    }
    if (isMake) commandLines.push(...makefileCommands(f.rel, text));
    if (isShell) commandLines.push(...shellCommands(f.rel, text));
    if ((isStart || isSource || isMake) && kept + text.length <= MAX_KEPT_BYTES) {
      texts.set(f.rel, text);
      kept += text.length;
    }
  }
  if (tooBig > 0) notFound.push(`${tooBig} source or script file${tooBig === 1 ? '' : 's'} over 2 MiB skipped`);
  loadTests.push(...invocationsIn(commandLines));

  const results: ResultFacts[] = [];
  for (const f of resultCandidates) {
    if (results.length >= MAX_RESULT_FILES) {
      notFound.push(`more than ${MAX_RESULT_FILES} result files: the others were not read`);
      break;
    }
    signal?.throwIfAborted();
    const r = await readResult(f, signal);
    if (r === null) continue;
    if ('problem' in r) notFound.push(r.problem);
    else results.push(r.facts);
  }

  const routes = index.all();
  const routeTexts = new Map<string, string>();
  for (const r of routes) {
    const t = texts.get(r.file);
    if (t !== undefined) routeTexts.set(r.file, t);
  }
  const start = detectStart(texts);
  return buildPlan({ routes, routeTexts, loadTests, results, start, notes: { found, notFound }, startSources: START_SOURCES });
}

/** A result file's series, when a reader recognises it; null when none does (it is not a result file). */
async function readResult(f: WalkedFile, signal: AbortSignal | undefined): Promise<{ facts: ResultFacts } | { problem: string } | null> {
  let head: string;
  try {
    const fh = await openRegularFile(f.abs, f.rel);
    try {
      const buf = Buffer.alloc(Math.min(HEAD_BYTES, f.size));
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      head = decodeHead(buf.subarray(0, bytesRead));
    } finally {
      await fh.close();
    }
  } catch {
    return null;
  }
  let format;
  try {
    format = detectFormat(head, f.rel);
  } catch {
    return null;
  }
  // Any column of numbers is "samples": only in a results folder is such a file taken for results.
  const dirs = f.rel.split('/').slice(0, -1);
  if ((format === 'samples' || format === 'go-bench') && !dirs.some((d) => RESULT_DIR.test(d))) return null;
  if (f.size > MAX_RESULT_BYTES) return { problem: `${f.rel}: ${format}, larger than 256 MiB; not read during set-up` };
  try {
    const series = await summarizeFile(f.abs, { format, displayName: f.rel, maxSeriesPerFile: MAX_SERIES, ...(signal ? { signal } : {}), onWarning: () => {} });
    // The tool's own all-requests row and sub-samples are no handlers: no budget is proposed for them.
    const facts: SeriesFacts[] = series.filter((s) => !s.allRequests && s.parent === undefined).map((s) => ({
      name: s.name,
      p50: percentileOf(s, 50),
      p95: percentileOf(s, 95),
      p99: percentileOf(s, 99),
      errorRate: errorRateOf(s),
      count: s.count,
    }));
    return { facts: { file: f.rel, format, series: facts } };
  } catch (e) {
    if (e instanceof Error && e.name === 'AbortError') throw e;
    return { problem: `${e instanceof InputError ? e.message : `${f.rel}: ${(e as Error).message}`}; not used` };
  }
}
