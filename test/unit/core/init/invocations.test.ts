// Load tools on command lines: package.json scripts, Makefiles, shell scripts.
import * as assert from 'node:assert/strict';
import { invocationsIn, makefileCommands, packageJsonCommands, shellCommands } from '../../../../src/core/init/invocations';

describe('load-tool invocations', () => {
  it('a Makefile target running hey per route: URL, output file and `make -s load` as its runner', () => {
    const make = `BASE ?= http://127.0.0.1:8080
OUT := perf/results
.PHONY: load
load:
\t@mkdir -p $(OUT)
\they -z 5s -c 10 -o csv $(BASE)/api/stock/abc > $(OUT)/hey-stock.csv
\they -z 5s -m POST -o csv \\
\t  $(BASE)/api/orders > $(OUT)/hey-orders.csv
run:
\tgo run .
`;
    assert.deepEqual(invocationsIn(makefileCommands('Makefile', make)), [
      { tool: 'hey', file: 'Makefile', line: 6, command: 'hey -z 5s -c 10 -o csv http://127.0.0.1:8080/api/stock/abc > perf/results/hey-stock.csv', target: 'http://127.0.0.1:8080/api/stock/abc', requests: ['GET /api/stock/abc'], runner: 'make -s load', output: 'perf/results/hey-stock.csv' },
      { tool: 'hey', file: 'Makefile', line: 7, command: 'hey -z 5s -m POST -o csv http://127.0.0.1:8080/api/orders > perf/results/hey-orders.csv', target: 'http://127.0.0.1:8080/api/orders', requests: ['POST /api/orders'], runner: 'make -s load', output: 'perf/results/hey-orders.csv' },
    ]);
  });

  it('a Makefile in a subfolder runs with -C and writes relative to it', () => {
    const [t] = invocationsIn(makefileCommands('svc/Makefile', 'bench:\n\twrk -d5s --latency http://localhost:3000/x > ../perf/wrk.txt\n'));
    assert.equal(t!.runner, 'make -s -C svc bench');
    assert.equal(t!.output, 'perf/wrk.txt');
  });

  it('package.json scripts: npx autocannon, and tools after && and env assignments', () => {
    const pkg = JSON.stringify({ scripts: { start: 'node server.js', bench: 'mkdir -p perf && npx autocannon --json -d 5 http://127.0.0.1:3000/api/items > perf/items.json', 'load:ab': 'N=100 ab -n 100 http://127.0.0.1:3000/ > perf/ab.txt' } }, null, 2);
    const found = invocationsIn(packageJsonCommands('package.json', pkg).lines);
    assert.deepEqual(
      found.map((t) => [t.tool, t.line, t.runner, t.target, t.output]),
      [
        ['autocannon', 4, 'npm run bench', 'http://127.0.0.1:3000/api/items', 'perf/items.json'],
        ['ab', 5, 'npm run load:ab', 'http://127.0.0.1:3000/', 'perf/ab.txt'],
      ],
    );
  });

  it('a package.json that is not JSON is a problem, not a crash', () => {
    assert.match(packageJsonCommands('package.json', '{ "scripts": ').problem!, /^package\.json: could not be parsed: /);
  });

  it('shell scripts: variables with defaults, vegeta reading its target from echo, oha with -o', () => {
    const sh = `#!/bin/sh
set -e
HOST=\${HOST:-http://127.0.0.1:9000}
echo "GET $HOST/api/ping" | vegeta attack -duration=5s | vegeta report
oha -z 5s --output perf/oha.json "$HOST/api/items"
`;
    const found = invocationsIn(shellCommands('scripts/load.sh', sh));
    assert.deepEqual(
      found.map((t) => [t.tool, t.line, t.target, t.runner, t.output ?? null]),
      [
        ['vegeta', 4, 'http://127.0.0.1:9000/api/ping', 'sh scripts/load.sh', null],
        ['oha', 5, 'http://127.0.0.1:9000/api/items', 'sh scripts/load.sh', 'perf/oha.json'],
      ],
    );
  });

  it('words that merely contain a tool name are not invocations', () => {
    assert.deepEqual(invocationsIn(shellCommands('x.sh', 'cd ab\necho hey there\nheyx http://127.0.0.1/\ngrep wrk README.md\n')), []);
  });
});
