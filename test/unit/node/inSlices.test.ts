import { strict as assert } from 'node:assert';
import { inSlices } from '../../../src/node/inSlices';

/** Steps that log themselves, then return 'done'. */
function* logged(log: string[], n: number): Generator<void, string, void> {
  for (let i = 1; i <= n; i++) {
    log.push(`step ${i}`);
    yield;
  }
  return 'done';
}

describe('inSlices: a generator run in slices, the event loop getting turns between them', () => {
  it('gives the generator\'s result, with other work run between slices (slices of 0 ms: a turn after every step)', async () => {
    const log: string[] = [];
    setImmediate(() => log.push('other work'));
    assert.equal(await inSlices(logged(log, 3), () => false, 0), 'done');
    assert.deepEqual(log, ['step 1', 'other work', 'step 2', 'step 3']);
  });

  it('with a long slice the steps run in one piece, as a plain loop would', async () => {
    const log: string[] = [];
    setImmediate(() => log.push('other work'));
    assert.equal(await inSlices(logged(log, 3), () => false, 60_000), 'done');
    log.push('after');
    assert.deepEqual(log, ['step 1', 'step 2', 'step 3', 'after']);
  });

  it('stops when stale() says so between slices: undefined, and the rest never runs', async () => {
    const log: string[] = [];
    let newer = false;
    setImmediate(() => (newer = true));
    assert.equal(await inSlices(logged(log, 5), () => newer, 0), undefined);
    assert.deepEqual(log, ['step 1']);
  });
});
