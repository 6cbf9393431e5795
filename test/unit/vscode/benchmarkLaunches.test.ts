// The runner's waiting runs (src/vscode/benchmarkLaunches.ts): whichever execution of a task VS
// Code calls, the one that takes the launch gets the run's benchmark and its end callback; a run
// that is over leaves nothing behind, and never removes a later run's launch.
import * as assert from 'node:assert/strict';
import { launchKey, Launches } from '../../../src/vscode/benchmarkLaunches';

describe('Launches', () => {
  const key = launchKey('file:///w/a', 'api');

  it('gives the waiting run to the first terminal of its task, whichever execution starts it, and to no second one', () => {
    const launches = new Launches<string>();
    const ends: number[] = [];
    launches.expect(key, { bench: 'runner', onEnd: (e) => ends.push(e.exitCode) });
    // Two executions of the same task (ours and one a provideTasks put in its place) share the key.
    const taken = launches.take(key);
    assert.equal(taken?.bench, 'runner');
    taken!.onEnd({ exitCode: 2, signal: null, stderrTail: [] });
    assert.deepEqual(ends, [2]);
    assert.equal(launches.take(key), undefined);
  });

  it('keys by folder and benchmark: another folder or benchmark finds none', () => {
    const launches = new Launches<string>();
    launches.expect(key, { bench: 'runner', onEnd: () => {} });
    assert.equal(launches.take(launchKey('file:///w/b', 'api')), undefined);
    assert.equal(launches.take(launchKey('file:///w/a', 'web')), undefined);
    assert.equal(launches.take(launchKey('file:///w/a\napi', '')), undefined);
    assert.equal(launches.take(key)?.bench, 'runner');
  });

  it('a disposed launch is gone, and disposing an older one keeps the newer', () => {
    const launches = new Launches<string>();
    launches.expect(key, { bench: 'first', onEnd: () => {} }).dispose();
    assert.equal(launches.take(key), undefined);
    const older = launches.expect(key, { bench: 'older', onEnd: () => {} });
    launches.expect(key, { bench: 'newer', onEnd: () => {} });
    older.dispose();
    assert.equal(launches.take(key)?.bench, 'newer');
  });
});
