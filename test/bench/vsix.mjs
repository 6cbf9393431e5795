// Bench line: the size of the VSIX `npm run package` makes, packed here rather than read from
// out/perf-budgets.vsix (which may be older than the code). The production build of startup.mjs's
// productionBuild runs in its own scratch copy, the files .vscodeignore ships that the build does
// not write are copied beside it, and `vsce package --no-dependencies` packs that copy, so the
// repository's dist/ and out/ are left as they are.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { productionBuild } from './startup.mjs';

/** The shipped paths .vscodeignore names ("!dist/x.js", "!media/icons/**"), without the "!" and "/**". */
function shippedPaths(root) {
  return readFileSync(path.join(root, '.vscodeignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('!'))
    .map((l) => l.slice(1).replace(/\/\*\*$/, ''));
}

export function vsixBench({ root, tmp }) {
  const scratch = path.join(tmp, 'vsix');
  mkdirSync(scratch, { recursive: true });
  const dir = path.dirname(productionBuild({ root, tmp: scratch }));
  for (const rel of shippedPaths(root)) {
    // The build wrote dist/ and its media/ files in the copy; package.json is linked already.
    if (rel.startsWith('dist/') || existsSync(path.join(dir, rel)) || !existsSync(path.join(root, rel))) continue;
    cpSync(path.join(root, rel), path.join(dir, rel), { recursive: true });
  }
  cpSync(path.join(root, '.vscodeignore'), path.join(dir, '.vscodeignore'));
  const vsix = path.join(scratch, 'perf-budgets.vsix');
  execFileSync(process.execPath, [path.join(root, 'node_modules/@vscode/vsce/vsce'), 'package', '--no-dependencies', '--out', vsix], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  // Entries of the zip from its end-of-central-directory record (the VSIX's own 2 XML files less).
  const zip = readFileSync(vsix);
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error(`${vsix} is not a zip file`);
  return { kb: statSync(vsix).size / 1024, files: zip.readUInt16LE(eocd + 10) - 2 };
}

export function printVsixBench(r) {
  console.log(`VSIX (vsce package --no-dependencies of the minified build, packed here): ${r.kb.toFixed(0)} KB, ${r.files} files`);
}
