import { K6JsonKernel } from './k6JsonKernel';
import { scanSource, seriesFromKernel } from './seriesAccumulator';
import type { Reader } from './reader';
import { SeriesLimit } from './seriesLimit';

/**
 * k6 `--out json` NDJSON: one series per `tags.method` + `tags.name` (a URL name becomes its
 * path). Latency = http_req_duration points (ms); errors = http_req_failed points with a
 * non-zero value (when the key has none: status >= 400 or "0"); duration = first to last
 * http_req_duration time of the whole file (the same span for every series).
 */
export const k6JsonReader: Reader = {
  id: 'k6-json',
  detect(head) {
    const first = head.split('\n', 1)[0]!.trim();
    if (!first.startsWith('{')) return false;
    try {
      const o = JSON.parse(first) as { type?: unknown; metric?: unknown; data?: unknown };
      return (o.type === 'Point' || o.type === 'Metric') && typeof o.metric === 'string' && typeof o.data === 'object';
    } catch {
      // A first line longer than the head: recognise k6's own layout.
      return /^\{"type":"(Point|Metric)","data":\{/.test(first);
    }
  },
  async read(source, options) {
    const limit = SeriesLimit.of(options);
    const kernel = new K6JsonKernel(options.fileName, limit);
    await scanSource(kernel, source, options.fileName, options.signal);
    limit.report(options);
    return seriesFromKernel(kernel.result(), options.fileName);
  },
  kernel: {
    parallelMinBytes: 16 << 20,
    create(spec) {
      const limit = SeriesLimit.of(spec);
      return new K6JsonKernel(spec.fileName, spec.admit ? new SeriesLimit(limit.max, new Set(spec.admit)) : limit);
    },
  },
};
