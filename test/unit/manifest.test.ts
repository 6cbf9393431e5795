// package.json's contributions and the ids declared in code stay in step (both directions).
// Plain Node: reads src/vscode/ids.ts (no `vscode` import) and scans the adapters' source text.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { COLORS, COMMANDS, CONFIG_FILE, SET_UP_HINTS, TASK_TYPE, TEXT_COLOR } from '../../src/vscode/ids';

const REPO = path.resolve(__dirname, '../..');
const rawPkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8'));
const nls: Record<string, string> = JSON.parse(readFileSync(path.join(REPO, 'package.nls.json'), 'utf8'));
const NLS_REF = /^%(.+)%$/;
/** package.json with every "%key%" replaced by its package.nls.json text, as VS Code reads it. */
function localized(value: unknown): unknown {
  if (typeof value === 'string') {
    const key = NLS_REF.exec(value)?.[1];
    return key !== undefined && key in nls ? nls[key] : value;
  }
  if (Array.isArray(value)) return value.map(localized);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, localized(v)]));
  return value;
}
const pkg = localized(rawPkg) as typeof rawPkg;
const contributes = pkg.contributes ?? {};
const vscodeSources = readdirSync(path.join(REPO, 'src/vscode'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => ({ file: f, text: readFileSync(path.join(REPO, 'src/vscode', f), 'utf8') }));
const allSource = vscodeSources.map((s) => s.text).join('\n');

const sorted = (xs: Iterable<string>) => [...xs].sort();

describe('manifest (package.json) and code', () => {
  it('contributes exactly the commands declared in COMMANDS', () => {
    const contributed: string[] = (contributes.commands ?? []).map((c: { command: string }) => c.command);
    assert.deepEqual(sorted(contributed), sorted(Object.values(COMMANDS)));
    assert.equal(new Set(contributed).size, contributed.length, 'a command is contributed twice');
  });

  it('registers every command of COMMANDS in src/vscode, and registers no undeclared one', () => {
    const registered = new Set([...allSource.matchAll(/registerCommand\(\s*COMMANDS\.(\w+)/g)].map((m) => m[1]!));
    assert.deepEqual(sorted(registered), sorted(Object.keys(COMMANDS)));
    const literal = [...allSource.matchAll(/registerCommand\(\s*['"`]([^'"`]+)/g)].map((m) => m[1]);
    assert.deepEqual(literal, [], 'register commands through COMMANDS, not string literals');
  });

  it('every command has a title and the "Perf Budgets" category', () => {
    for (const c of contributes.commands ?? []) {
      assert.ok(c.title, `${c.command} has no title`);
      assert.equal(c.category, 'Perf Budgets', `${c.command} category`);
    }
  });

  it('menus and keybindings name only contributed commands', () => {
    const known = new Set(Object.values(COMMANDS) as string[]);
    const menuEntries = Object.values(contributes.menus ?? {}).flat() as { command?: string }[];
    for (const e of [...menuEntries, ...(contributes.keybindings ?? [])]) {
      if (e.command) assert.ok(known.has(e.command), `unknown command ${e.command}`);
    }
  });

  it('contributes exactly the settings declared in SETTINGS (src/vscode/settings.ts), each with a default and description', () => {
    const props: Record<string, { default?: unknown; description?: string; markdownDescription?: string }> = Object.assign(
      {},
      ...[contributes.configuration ?? []].flat().map((c: { properties?: object }) => c.properties ?? {}),
    );
    const settingsTs = vscodeSources.find((s) => s.file === 'settings.ts')?.text ?? '';
    const block = settingsTs.match(/export const SETTINGS = \{([\s\S]*?)\} as const/)?.[1] ?? '';
    const declared = [...block.matchAll(/:\s*'([^']+)'/g)].map((m) => m[1]!);
    assert.deepEqual(sorted(Object.keys(props)), sorted(declared));
    for (const [key, spec] of Object.entries(props)) {
      assert.ok('default' in spec, `${key} has no default`);
      assert.ok(spec.description || spec.markdownDescription, `${key} has no description`);
    }
    // Nothing reads a perfBudgets.* setting by its literal name outside the typed gate.
    for (const s of vscodeSources.filter((s) => s.file !== 'settings.ts' && s.file !== 'ids.ts')) {
      assert.doesNotMatch(s.text, /['"`]perfBudgets\.(?!status)[\w.]+['"`]/, `${s.file} names a setting/command id literally; use SETTINGS/COMMANDS`);
    }
  });

  it('contributes exactly the theme colours declared in COLORS and TEXT_COLOR (src/vscode/ids.ts), each with defaults for every theme kind', () => {
    const colors = (contributes.colors ?? []) as Array<{ id: string; description?: string; defaults?: Record<string, string> }>;
    assert.deepEqual(sorted(colors.map((c) => c.id)), sorted([...Object.values(COLORS), TEXT_COLOR]));
    for (const c of colors) {
      assert.ok(c.description, `${c.id} has no description`);
      assert.deepEqual(sorted(Object.keys(c.defaults ?? {})), ['dark', 'highContrast', 'highContrastLight', 'light']);
    }
  });

  it('activates on the config file and points jsonValidation at the generated schema', () => {
    assert.ok(pkg.activationEvents.includes(`workspaceContains:${CONFIG_FILE}`));
    const [validation] = contributes.jsonValidation;
    assert.equal(validation.fileMatch, CONFIG_FILE);
    assert.equal(validation.url, './media/perf-budgets.schema.json');
    assert.match(readFileSync(path.join(REPO, 'esbuild.mjs'), 'utf8'), /media\/perf-budgets\.schema\.json/, 'esbuild.mjs generates the schema');
  });

  it('activates on exactly the set-up hints the onboarding looks for, besides the config file and the panel', () => {
    const hinted = pkg.activationEvents.filter((e: string) => e.startsWith('workspaceContains:') && !e.endsWith(CONFIG_FILE)).map((e: string) => e.slice('workspaceContains:'.length));
    assert.deepEqual(sorted(hinted), sorted(SET_UP_HINTS));
    // The onboarding joins them in one brace group: VS Code's globs do not nest braces.
    for (const g of SET_UP_HINTS) assert.doesNotMatch(g, /[{}]/, g);
  });

  it('walks through the five steps with images in the package and commands that exist', () => {
    const [walkthrough, ...others] = contributes.walkthroughs;
    assert.equal(others.length, 0);
    assert.deepEqual(walkthrough.steps.map((s: { id: string }) => s.id), ['setUp', 'run', 'read', 'compare', 'baseline']);
    const ignore = readFileSync(path.join(REPO, '.vscodeignore'), 'utf8');
    assert.match(ignore, /^!media\/walkthrough\/\*\*$/m);
    const commands = new Set(Object.values(COMMANDS) as string[]);
    for (const step of walkthrough.steps) {
      assert.ok(statSync(path.join(REPO, step.media.image)).size > 10_000, `${step.media.image} is a real screenshot`);
      assert.ok(step.media.altText.length > 10, `${step.id} has alt text`);
      for (const link of step.description.matchAll(/\(command:([\w.]+)\)/g)) assert.ok(commands.has(link[1]!), `${step.id} links ${link[1]}`);
      for (const ev of step.completionEvents) {
        const m = /^onCommand:(.+)$/.exec(ev);
        if (m) assert.ok(commands.has(m[1]!), `${step.id} completes on ${m[1]}`);
      }
    }
  });

  it('marks every setting that leads to a process or a git ref "restricted", in both places VS Code reads', () => {
    const props: Record<string, { restricted?: boolean }> = Object.assign({}, ...[contributes.configuration ?? []].flat().map((c: { properties?: object }) => c.properties ?? {}));
    const restricted = Object.entries(props).filter(([, spec]) => spec.restricted === true).map(([key]) => key);
    // A git ref (git runs with it) and the hosts the HTTP benchmark may load.
    for (const key of ['perfBudgets.baseline.ref', 'perfBudgets.http.allowRemoteHosts']) assert.ok(restricted.includes(key), `${key} is restricted`);
    const declared: string[] = pkg.capabilities?.untrustedWorkspaces?.restrictedConfigurations ?? [];
    for (const key of declared) assert.equal(props[key]?.restricted, true, `${key} is listed in restrictedConfigurations but not "restricted": true`);
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  });

  it('contributes the task type declared in TASK_TYPE', () => {
    const types = (contributes.taskDefinitions ?? []).map((t: { type: string }) => t.type);
    assert.deepEqual(types, [TASK_TYPE]);
  });

  it('.vscodeignore ships the bundles package.json points at', () => {
    const ignore = readFileSync(path.join(REPO, '.vscodeignore'), 'utf8').split('\n').map((l) => l.trim());
    // The panel bundle, css, schema, icon and icons, but not media/screenshots (README only).
    const shipped = [pkg.main, pkg.bin?.['perf-budgets'], 'dist/worker.js', 'dist/panelWorker.js', 'dist/discoveryWorker.js', 'dist/httpbench.js', 'media/panel.js', 'media/panel.css', 'media/icons/**', pkg.icon, 'package.nls.json'];
    for (const file of shipped) {
      const rel = String(file).replace(/^\.\//, '');
      assert.ok(ignore.includes(`!${rel}`), `.vscodeignore does not include !${rel}`);
    }
    // vsce lets a "!" line win over every exclusion, so a wildcard over media/ would ship source maps.
    assert.ok(!ignore.some((l) => l.startsWith('!media/screenshots') || l === '!media/**' || l === '!media/*'), 'the README screenshots and source maps stay out of the VSIX');
  });

  it('refers to every user-facing string of package.json through package.nls.json, and every nls key is used', () => {
    const used = new Set<string>();
    const plain: string[] = [];
    const visit = (value: unknown, at: string, userFacing: boolean): void => {
      if (typeof value === 'string') {
        const key = NLS_REF.exec(value)?.[1];
        if (key !== undefined) {
          assert.ok(key in nls, `${at}: %${key}% is not in package.nls.json`);
          assert.ok(nls[key]!.trim().length > 0, `${at}: %${key}% is empty`);
          used.add(key);
        } else if (userFacing) plain.push(`${at}: ${JSON.stringify(value)}`);
        return;
      }
      if (Array.isArray(value)) return value.forEach((v, i) => visit(v, `${at}[${i}]`, userFacing));
      if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, `${at}.${k}`, userFacing || USER_FACING.has(k));
    };
    // The fields VS Code and the Marketplace show to a person (enumDescriptions: each item).
    const USER_FACING = new Set(['title', 'description', 'markdownDescription', 'enumDescriptions', 'markdownEnumDescriptions', 'deprecationMessage', 'markdownDeprecationMessage', 'altText', 'category', 'displayName', 'label']);
    for (const field of ['displayName', 'description']) visit(rawPkg[field], field, true);
    visit(rawPkg.contributes, 'contributes', false);
    visit(rawPkg.capabilities, 'capabilities', false);
    assert.deepEqual(plain, [], 'user-facing strings written in package.json instead of package.nls.json');
    assert.deepEqual(sorted(Object.keys(nls).filter((k) => !used.has(k))), [], 'package.nls.json keys no %key% refers to');
  });

  it('has what the Marketplace and Open VSX ask for: icon, licence, changelog, repository, bugs, homepage, keywords, banner', () => {
    assert.equal(pkg.icon, 'media/icon.png');
    const png = readFileSync(path.join(REPO, pkg.icon));
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128], 'the icon is 128x128');
    assert.match(readFileSync(path.join(REPO, 'media/icon.svg'), 'utf8'), /^<svg /, 'the icon has its SVG source in media/');
    assert.equal(pkg.license, 'MIT');
    assert.match(readFileSync(path.join(REPO, 'LICENSE'), 'utf8'), /^MIT License\n\nCopyright \(c\) 2026 the Perf Budgets authors\n/);
    assert.match(readFileSync(path.join(REPO, 'CHANGELOG.md'), 'utf8'), new RegExp(`^## \\[${pkg.version.replace(/\./g, '\\.')}\\]`, 'm'), 'CHANGELOG.md has a section for this version');
    assert.deepEqual(pkg.repository, { type: 'git', url: 'https://github.com/perf-budgets/perf-budgets.git' });
    assert.equal(pkg.bugs.url, 'https://github.com/perf-budgets/perf-budgets/issues');
    assert.match(pkg.homepage, /^https:\/\/github\.com\/perf-budgets\/perf-budgets/);
    assert.ok(pkg.keywords.length > 0 && pkg.keywords.length <= 30, 'the Marketplace takes at most 30 keywords');
    assert.equal(new Set(pkg.keywords).size, pkg.keywords.length, 'a keyword twice');
    assert.match(pkg.galleryBanner.color, /^#[0-9a-f]{6}$/i);
    assert.ok(['dark', 'light'].includes(pkg.galleryBanner.theme));
  });
});

describe('l10n of the extension\'s messages', () => {
  it('shows no notification whose text is a string literal: every one goes through vscode.l10n.t', () => {
    const plain: string[] = [];
    const patterns = [/\bshow(?:Information|Warning|Error)Message\(\s*['"`]/g, /\btell\(\s*[\w.]+,\s*[^,()]+,\s*['"`]/g];
    for (const s of vscodeSources) {
      for (const re of patterns) {
        for (const m of s.text.matchAll(re)) plain.push(`src/vscode/${s.file}:${s.text.slice(0, m.index).split('\n').length}: ${m[0]}`);
      }
    }
    assert.deepEqual(plain, [], 'wrap these messages in vscode.l10n.t(...) (the English text unchanged)');
  });

  it('l10n/bundle.l10n.json holds exactly the strings of l10n.t in src/vscode and the panel (regenerate: npx @vscode/l10n-dev export -o l10n src/vscode src/webview src/core)', async function () {
    this.timeout(60_000);
    assert.equal(pkg.l10n, './l10n');
    const { getL10nJson } = await import('@vscode/l10n-dev');
    // The panel's modules and the core's texts shown in the editor (hovers, reasons) use @vscode/l10n.
    const webviewSources = ['src/webview', 'src/core']
      .flatMap((dir) => (readdirSync(path.join(REPO, dir), { recursive: true }) as string[]).map((f) => path.join(dir, f)))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(path.join(REPO, f), 'utf8'));
    const extracted = await getL10nJson([...vscodeSources.map((s) => s.text), ...webviewSources].map((contents) => ({ extension: '.ts', contents })));
    // The panel's column headings are translated like the host's messages.
    assert.ok(Object.keys(extracted).includes('Series no budget claims ({0})'), 'l10n.t calls of src/webview are extracted');
    assert.ok(Object.keys(extracted).includes('no budget names {0} — add one'), 'l10n.t calls of src/core are extracted');
    const bundle = JSON.parse(readFileSync(path.join(REPO, 'l10n/bundle.l10n.json'), 'utf8'));
    assert.deepEqual(sorted(Object.keys(bundle)), sorted(Object.keys(extracted)));
    assert.ok(Object.keys(bundle).includes('Perf Budgets: baseline updated ({0}). Review and commit it.'));
  });
});
