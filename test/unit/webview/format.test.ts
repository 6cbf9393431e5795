import * as assert from 'node:assert/strict';
import { change, delta } from '../../../src/webview/format';

describe('panel number formatting (src/webview/format.ts)', () => {
  it('delta: direction arrow, sign and two significant digits', () => {
    assert.equal(delta(25), '▲ +25%');
    assert.equal(delta(-3.04), '▼ −3%');
    assert.equal(delta(-0.066), '▼ −0.066%');
    assert.equal(delta(0), '= ±0%');
    assert.equal(delta(null), '—');
  });

  it('delta: the rounding remainder of a stored baseline is no change, never exponent notation', () => {
    // Locust throughput 9.908785510214988/s against the baseline's stored 9.90878551/s.
    const tiny = change(9.908785510214988, 9.90878551);
    assert.ok(tiny !== null && tiny > 0 && tiny < 1e-6);
    assert.equal(delta(tiny), '= ±0%');
    assert.equal(delta(-1.8e-8), '= ±0%');
    for (const x of [1e-12, 3e-7, 0.004, 0.0049, 0.005, 0.01, 0.123, 5, 1234.5]) {
      assert.doesNotMatch(delta(x), /e[-+]?\d/, `delta(${x}) = ${delta(x)}`);
      assert.doesNotMatch(delta(-x), /e[-+]?\d/, `delta(${-x}) = ${delta(-x)}`);
    }
  });
});
