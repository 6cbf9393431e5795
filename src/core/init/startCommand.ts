import type { DetectedStart } from './plan';
import { lineAt } from './syntax';

/**
 * How the service starts and on which port, from the files that say so: package.json scripts,
 * a Procfile, Makefile targets, a Dockerfile's CMD, pyproject scripts, then what the stack
 * implies (go run, cargo run, mvn spring-boot:run, uvicorn for a FastAPI app, flask run, manage.py
 * runserver, node for a file that listens). Pure: `files` maps workspace-relative paths to texts.
 */

export const START_SOURCES = 'package.json, Procfile, Makefile, Dockerfile, pyproject.toml, go.mod, Cargo.toml, pom.xml/build.gradle, Python and JS entry files';

type Files = ReadonlyMap<string, string>;

function dirOf(file: string): string {
  const i = file.lastIndexOf('/');
  return i < 0 ? '' : file.slice(0, i);
}
const depth = (f: string) => f.split('/').length;
const withCwd = (s: DetectedStart, dir: string): DetectedStart => (dir === '' ? s : { ...s, cwd: dir });

/** Files named `name` (a RegExp on the base name), shallowest first. */
function named(files: Files, name: RegExp): string[] {
  return [...files.keys()].filter((f) => name.test(f.slice(f.lastIndexOf('/') + 1))).sort((a, b) => depth(a) - depth(b) || a.localeCompare(b));
}

/** A port a command line names: PORT=N, --port N, -p N, --bind host:N, runserver host:N. */
export function portInCommand(cmd: string): number | null {
  const res = [
    /\bPORT=(\d{2,5})\b/,
    /--port[= ]+(\d{2,5})\b/,
    /(?:^|\s)-p[= ]?(\d{2,5})\b/,
    /(?:--bind|-b)[= ]+['"]?[\w.[\]:]*:(\d{2,5})\b/,
    /\brunserver\s+(?:[\w.]+:)?(\d{2,5})\b/,
    /\b(?:localhost|127\.0\.0\.1|0\.0\.0\.0):(\d{2,5})\b/,
  ];
  for (const re of res) {
    const m = re.exec(cmd);
    if (m) return Number(m[1]);
  }
  return null;
}

/** The port a tool listens on by default, when the command names none. */
function defaultPort(cmd: string): number | null {
  if (/\b(?:uvicorn|gunicorn|hypercorn|daphne)\b|\brunserver\b/.test(cmd)) return 8000;
  if (/\bflask\b.*\brun\b/.test(cmd)) return 5000;
  if (/\bnext\s+(?:dev|start)\b|\bnuxt\b|\brails\s+s/.test(cmd)) return 3000;
  if (/\bspring-boot:run\b|\bbootRun\b/.test(cmd)) return 8080;
  return null;
}

/** The port a JavaScript entry file listens on: listen(3000), listen(process.env.PORT || 3000), PORT = … || 3000. */
export function jsListenPort(text: string): number | null {
  const res = [
    /\.listen\(\s*(\d{2,5})\b/,
    /\.listen\(\s*(?:Number\(|parseInt\(|\+)?\s*process\.env\.PORT\s*\)?\s*(?:\|\||\?\?)\s*['"]?(\d{2,5})/,
    /\b(?:const|let|var)\s+(?:PORT|port)\s*=\s*(?:Number\(|parseInt\(|\+)?\s*(?:process\.env\.PORT\s*\)?\s*(?:\|\||\?\?)\s*)?['"]?(\d{2,5})\b/,
    /\bport\s*:\s*(?:Number\(|parseInt\()?\s*(?:process\.env\.PORT\s*\)?\s*(?:\|\||\?\?)\s*)?(\d{2,5})\b/,
  ];
  for (const re of res) {
    const m = re.exec(text);
    if (m) return Number(m[1]);
  }
  return null;
}

/** The port a Go program listens on: ListenAndServe(":8080"), r.Run(":8080"), e.Start(":1323"), Addr: ":8080". */
export function goListenPort(text: string): number | null {
  const m = /(?:ListenAndServe(?:TLS)?|\.Run|\.Start|\.Listen)\(\s*"[^":]*:(\d{2,5})"|\bAddr\s*:\s*"[^":]*:(\d{2,5})"/.exec(text);
  if (m) return Number(m[1] ?? m[2]);
  // port := os.Getenv("PORT"); if port == "" { port = "8081" }
  const env = /Getenv\(\s*"PORT"\s*\)[\s\S]{0,300}?\b\w+\s*:?=\s*"(\d{2,5})"/.exec(text);
  if (env) return Number(env[1]);
  const literal = /"(?:127\.0\.0\.1|localhost|0\.0\.0\.0)?:(\d{2,5})"/.exec(text);
  if (literal) return Number(literal[1]);
  if (/\.Run\(\s*\)/.test(text)) return 8080; // gin's default
  return null;
}

function rustListenPort(text: string): number | null {
  const m = /"(?:127\.0\.0\.1|0\.0\.0\.0|localhost|\[::\]|\[::1\]):(\d{2,5})"|\(\s*"[\d.]+"\s*,\s*(\d{2,5})\s*\)|\]\s*,\s*(\d{2,5})\s*\)\s*\)/.exec(text);
  return m ? Number(m[1] ?? m[2] ?? m[3]) : null;
}

function springPort(files: Files): number {
  for (const f of named(files, /^application(?:-[\w]+)?\.(?:properties|ya?ml)$/)) {
    const t = files.get(f)!;
    const m = /^\s*server\.port\s*[=:]\s*(\d{2,5})/m.exec(t) ?? /^server:\s*\n(?:[ \t]+.*\n)*?[ \t]+port:\s*(\d{2,5})/m.exec(t);
    if (m) return Number(m[1]);
  }
  return 8080;
}

function pythonRunPort(text: string): number | null {
  const m = /\b(?:uvicorn\.)?run\([^)]*\bport\s*=\s*(\d{2,5})/.exec(text);
  return m ? Number(m[1]) : null;
}

function fromPackageJson(files: Files): DetectedStart | null {
  for (const f of named(files, /^package\.json$/)) {
    let scripts: Record<string, unknown> | undefined;
    let main: unknown;
    try {
      const json = JSON.parse(files.get(f)!) as { scripts?: Record<string, unknown>; main?: unknown };
      scripts = json.scripts;
      main = json.main;
    } catch {
      continue;
    }
    for (const name of ['start', 'dev', 'serve']) {
      const script = scripts?.[name];
      if (typeof script !== 'string' || script.trim() === '') continue;
      const dir = dirOf(f);
      const entry = /\b(?:node|nodemon|tsx|ts-node|bun|deno\s+run)\s+(?:-\S+\s+)*([\w./@-]+\.[cm]?[jt]sx?)\b/.exec(script)?.[1] ?? (typeof main === 'string' ? main : null);
      const entryText = entry ? files.get(joinPath(dir, entry)) : undefined;
      const port = portInCommand(script) ?? (entryText !== undefined ? jsListenPort(entryText) : null) ?? defaultPort(script) ?? anyJsListenPort(files, dir);
      return withCwd({ command: name === 'start' ? 'npm start' : `npm run ${name}`, port, source: `${f} scripts.${name}` }, dir);
    }
  }
  return null;
}

function joinPath(dir: string, p: string): string {
  const clean = p.replace(/^\.\//, '');
  return dir === '' ? clean : `${dir}/${clean}`;
}

function anyJsListenPort(files: Files, dir: string): number | null {
  for (const [f, t] of files) {
    if (!/\.[cm]?[jt]sx?$/.test(f) || (dir !== '' && !f.startsWith(`${dir}/`)) || f.includes('node_modules/')) continue;
    if (!/\.listen\(/.test(t)) continue;
    const p = jsListenPort(t);
    if (p !== null) return p;
  }
  return null;
}

function fromProcfile(files: Files): DetectedStart | null {
  for (const f of named(files, /^Procfile$/)) {
    const lines = files.get(f)!.split(/\r?\n/);
    const web = lines.findIndex((l) => /^web\s*:/.test(l));
    const i = web >= 0 ? web : lines.findIndex((l) => /^[\w-]+\s*:\s*\S/.test(l));
    if (i < 0) continue;
    let command = lines[i]!.replace(/^[\w-]+\s*:\s*/, '').trim();
    let port = portInCommand(command);
    if (port === null && /\$\{?PORT\b/.test(command)) {
      port = defaultPort(command) ?? 8000;
      command = `PORT=${port} ${command}`;
    }
    return withCwd({ command, port: port ?? defaultPort(command), source: `${f}:${i + 1}` }, dirOf(f));
  }
  return null;
}

function fromMakefile(files: Files): DetectedStart | null {
  for (const f of named(files, /^(?:GNUmakefile|makefile|Makefile)$/)) {
    const text = files.get(f)!;
    for (const target of ['run', 'start', 'serve', 'dev', 'server']) {
      const m = new RegExp(`^${target}\\s*:(?!=).*\\n((?:\\t.*(?:\\n|$))+)`, 'm').exec(text);
      if (!m) continue;
      const recipe = m[1]!;
      return withCwd({ command: `make -s ${target}`, port: portInCommand(recipe) ?? defaultPort(recipe) ?? goOrJsPortIn(recipe, files), source: `${f}:${lineAt(text, m.index)}` }, dirOf(f));
    }
  }
  return null;
}

function goOrJsPortIn(recipe: string, files: Files): number | null {
  if (/\bgo\s+run\b/.test(recipe)) return goPort(files);
  return null;
}

function fromDockerfile(files: Files): DetectedStart | null {
  for (const f of named(files, /^Dockerfile(?:\..+)?$/)) {
    const text = files.get(f)!;
    let last: RegExpExecArray | null = null;
    for (const m of text.matchAll(/^\s*CMD\s+(.+)$/gm)) last = m as RegExpExecArray;
    if (!last) continue;
    let command = last[1]!.trim();
    if (command.startsWith('[')) {
      try {
        const parts = JSON.parse(command) as unknown[];
        command = parts.map((p) => (/^[\w@%+=:,./-]+$/.test(String(p)) ? String(p) : JSON.stringify(String(p)))).join(' ');
      } catch {
        // shell form after all
      }
    }
    const expose = /^\s*EXPOSE\s+(\d{2,5})/m.exec(text);
    const port = portInCommand(command) ?? (expose ? Number(expose[1]) : null) ?? defaultPort(command);
    return withCwd({ command, port, source: `${f}:${lineAt(text, last.index)}` }, dirOf(f));
  }
  return null;
}

function fromPyproject(files: Files): DetectedStart | null {
  for (const f of named(files, /^pyproject\.toml$/)) {
    const text = files.get(f)!;
    for (const table of ['project.scripts', 'tool.poetry.scripts']) {
      const m = new RegExp(`^\\[${table.replace(/\./g, '\\.')}\\]\\s*\\n((?:(?!\\[).*(?:\\n|$))*)`, 'm').exec(text);
      const entry = m ? /^\s*["']?([\w.-]+)["']?\s*=\s*["']([\w.]+):([\w.]+)["']/m.exec(m[1]!) : null;
      if (!entry) continue;
      const [, name, mod, fn] = entry;
      const modFile = [...files.keys()].find((k) => k.endsWith(`${mod!.replace(/\./g, '/')}.py`));
      const port = modFile ? pythonRunPort(files.get(modFile)!) : null;
      return withCwd({ command: `python3 -c "from ${mod} import ${fn!.split('.')[0]}; ${fn}()"`, port, source: `${f} [${table}] ${name}` }, dirOf(f));
    }
  }
  return null;
}

function goPort(files: Files): number | null {
  for (const [f, t] of files) if (f.endsWith('.go')) {
    const p = goListenPort(t);
    if (p !== null) return p;
  }
  return null;
}

function fromStack(files: Files): DetectedStart | null {
  const gomod = named(files, /^go\.mod$/)[0];
  if (gomod) {
    const dir = dirOf(gomod);
    const hasMain = [...files].some(([f, t]) => f.endsWith('.go') && dirOf(f) === dir && /^package\s+main\b/m.test(t));
    if (hasMain) return withCwd({ command: 'go run .', port: goPort(files), source: `${gomod} (go run)` }, dir);
  }
  const cargo = named(files, /^Cargo\.toml$/)[0];
  if (cargo) {
    const dir = dirOf(cargo);
    let port: number | null = null;
    for (const [f, t] of files) if (f.endsWith('.rs') && port === null) port = rustListenPort(t);
    return withCwd({ command: 'cargo run', port: port ?? (/\brocket\b/.test(files.get(cargo)!) ? 8000 : null), source: `${cargo} (cargo run)` }, dir);
  }
  const pom = named(files, /^pom\.xml$/).find((f) => /spring-boot/.test(files.get(f)!));
  if (pom) {
    const dir = dirOf(pom);
    const wrapper = files.has(joinPath(dir, 'mvnw'));
    return withCwd({ command: `${wrapper ? './mvnw' : 'mvn'} spring-boot:run`, port: springPort(files), source: `${pom} (spring-boot:run)` }, dir);
  }
  const gradle = named(files, /^build\.gradle(?:\.kts)?$/).find((f) => /org\.springframework\.boot/.test(files.get(f)!));
  if (gradle) {
    const dir = dirOf(gradle);
    return withCwd({ command: `${files.has(joinPath(dir, 'gradlew')) ? './gradlew' : 'gradle'} bootRun`, port: springPort(files), source: `${gradle} (bootRun)` }, dir);
  }
  const py = [...files.keys()].filter((f) => f.endsWith('.py')).sort((a, b) => depth(a) - depth(b) || rank(a) - rank(b) || a.localeCompare(b));
  for (const f of py) {
    const m = /^([A-Za-z_]\w*)\s*=\s*(?:fastapi\.)?FastAPI\(/m.exec(files.get(f)!);
    if (!m) continue;
    const port = pythonRunPort(files.get(f)!) ?? 8000;
    return { command: `python3 -m uvicorn ${moduleOf(f)}:${m[1]} --host 127.0.0.1 --port ${port}`, port, source: `${f} (FastAPI app)` };
  }
  for (const f of py) {
    const m = /^([A-Za-z_]\w*)\s*=\s*(?:flask\.)?Flask\(/m.exec(files.get(f)!);
    if (!m) continue;
    const port = pythonRunPort(files.get(f)!) ?? 5000;
    return { command: `python3 -m flask --app ${moduleOf(f)}:${m[1]} run --host 127.0.0.1 --port ${port}`, port, source: `${f} (Flask app)` };
  }
  const manage = named(files, /^manage\.py$/)[0];
  if (manage) return withCwd({ command: 'python3 manage.py runserver 127.0.0.1:8000', port: 8000, source: `${manage} (Django)` }, dirOf(manage));
  const js = [...files.keys()].filter((f) => /\.[cm]?js$/.test(f) && /\.listen\(/.test(files.get(f)!)).sort((a, b) => depth(a) - depth(b) || a.localeCompare(b));
  if (js[0]) return { command: `node ${js[0]}`, port: jsListenPort(files.get(js[0])!), source: `${js[0]} (listen)` };
  return null;
}

/** main.py and app.py before other modules of the same depth. */
function rank(f: string): number {
  const base = f.slice(f.lastIndexOf('/') + 1);
  return base === 'main.py' ? 0 : base === 'app.py' ? 1 : 2;
}

/** "app/main.py" -> "app.main". */
function moduleOf(file: string): string {
  return file.replace(/\.py$/, '').replace(/\/__init__$/, '').replace(/\//g, '.');
}

/** The service's start command, or null. */
export function detectStart(files: Files): DetectedStart | null {
  return fromPackageJson(files) ?? fromProcfile(files) ?? fromMakefile(files) ?? fromDockerfile(files) ?? fromPyproject(files) ?? fromStack(files);
}
