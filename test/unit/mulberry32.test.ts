import { strict as assert } from 'node:assert';
import { mulberry32 } from './helpers';

describe('test/mulberry32.mjs (the plain-Node scripts\' generator)', () => {
  it('gives the engine\'s sequence (src/core/stats/random.ts) for every seed', async () => {
    const script = await import('../mulberry32.mjs');
    for (const seed of [0, 1, 7, 20240501, 0x9e3779b9, 2 ** 32 - 1, -5]) {
      const a = script.mulberry32(seed);
      const b = mulberry32(seed);
      for (let i = 0; i < 1000; i++) assert.equal(a(), b(), `seed ${seed}, value ${i}`);
    }
  });
});
