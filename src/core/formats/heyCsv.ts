import { InputError } from '../errors';
import { HEY_HEADER, HeyCsvKernel, parseHeyHeader } from './heyCsvKernel';
import { scanSource, seriesFromKernel } from './rawScan';
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
};
