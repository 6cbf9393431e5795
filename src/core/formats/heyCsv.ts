import { InputError } from '../errors';
import { decodeUtf8 } from '../utf8';
import { HEY_HEADER, type HeyColumns, HeyCsvKernel, parseHeyHeader } from './heyCsvKernel';
import { scanSource, seriesFromKernel } from './seriesAccumulator';
import type { Reader } from './reader';

/**
 * hey `-o csv`: one series named after the file ("perf/decide.csv" -> "decide"); latency =
 * response-time (s -> ms); errors = status-code not 2xx; duration = 0 (hey's offsets count
 * from the run's start) to the latest offset + response-time.
 */
export const heyCsvReader: Reader = {
  id: 'hey-csv',
  detect(head) {
    const first = head.split('\n', 1)[0]!;
    const cols = parseHeyHeader(first);
    return cols !== null && first.includes('DNS+dialup');
  },
  async read(source, options) {
    const kernel = new HeyCsvKernel(options.fileName);
    await scanSource(kernel, source, options.fileName, options.signal);
    if (!kernel.hasHeader) throw new InputError(options.fileName, `missing hey CSV header (empty file; expected "${HEY_HEADER}")`, 1);
    return seriesFromKernel(kernel.result(), options.fileName);
  },
  kernel: {
    // Above anything hey writes (at most 1M rows, ~55 MB): a worker thread takes ~75 ms to boot,
    // about as long as the calling thread needs for a whole hey file.
    parallelMinBytes: 256 << 20,
    header(head) {
      const nl = head.indexOf(10);
      const columns = nl >= 0 ? parseHeyHeader(decodeUtf8(head, 0, nl)) : null;
      return columns && { dataStart: nl + 1, header: columns };
    },
    create(spec) {
      // `header`: what header() above returned.
      return new HeyCsvKernel(spec.fileName, (spec.header as HeyColumns | undefined) ?? null);
    },
  },
};
