// Event-loop stall while the extension host reads a big result file: a ~200 MB JMeter JTL
// (a format without a parallel kernel) read through summarizeFile with mainThread false (the
// extension's setting: a worker reads it) and, for contrast, on the calling thread.
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { bundleBenchEntry } from './bundle.mjs';

const TARGET_MS = 50;

export async function stallBench(root) {
  await bundleBenchEntry(root, 'test/bench/stallEntry.ts', path.join(root, 'dist/bench-stall.js'));
  const dir = mkdtempSync(path.join(tmpdir(), 'pb-stall-'));
  const file = path.join(dir, 'results.jtl');
  try {
    await writeJtl(file, 200 << 20);
    const out = execFileSync(process.execPath, [path.join(root, 'dist/bench-stall.js'), file], { encoding: 'utf8' });
    return { mb: statSync(file).size / 1e6, ...JSON.parse(out) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function writeJtl(file, bytes) {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(file);
    out.on('error', reject);
    out.write('timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,failureMessage,bytes,sentBytes,grpThreads,allThreads,URL,Latency,IdleTime,Connect\n');
    let written = 0;
    let i = 0;
    const labels = ['GET /api/items', 'POST /api/decide', 'GET /api/users/:id'];
    const block = () => {
      let s = '';
      for (let k = 0; k < 2000; k++, i++) {
        const label = labels[i % 3];
        const elapsed = 5 + ((i * 7919) % 400);
        s += `${1700000000000 + i},${elapsed},${label},200,OK,Thread 1-1,text,true,,512,128,4,4,http://127.0.0.1/x,${elapsed - 1},0,1\n`;
      }
      return s;
    };
    const pump = () => {
      while (written < bytes) {
        const s = block();
        written += s.length;
        if (!out.write(s)) return void out.once('drain', pump);
      }
      out.end(resolve);
    };
    pump();
  });
}

export function printStallBench(r) {
  const pass = r.worker.maxStallMs < TARGET_MS ? 'PASS' : 'MISS';
  console.log(`\nevent-loop responsiveness of plain node while summarizeFile reads a ${r.mb.toFixed(0)} MB JTL (longest stall; target < ${TARGET_MS} ms)`);
  console.log(`  read by a worker (the extension):   ${r.worker.ms.toFixed(0)} ms, longest stall ${r.worker.maxStallMs.toFixed(1)} ms, p99 ${r.worker.p99StallMs.toFixed(1)} ms  ${pass}`);
  console.log(`  read on the calling thread (CLI):   ${r.main.ms.toFixed(0)} ms, longest stall ${r.main.maxStallMs.toFixed(1)} ms, p99 ${r.main.p99StallMs.toFixed(1)} ms  (for contrast)`);
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
  printStallBench(await stallBench(root));
}
