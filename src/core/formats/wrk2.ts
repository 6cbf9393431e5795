import type { Reader } from './reader';
import { detectWrk2, readWrkText } from './wrk';

/**
 * wrk2 `--latency` (`-L`, optionally `-U`) text output. Percentiles come from the "Detailed
 * Percentile spectrum" of the Recorded (coordinated-omission corrected) latency: for each wanted
 * percentile, the first spectrum row at or above it (HdrHistogram semantics, nothing
 * interpolated); max, mean and the histogram's total count from the `#[…]` footer. The
 * Uncorrected block of `-U` is ignored. Falls back to the printed 50.000%…100.000% lines when the
 * spectrum is absent. Series named after the file (the text has no method).
 */
export const wrk2Reader: Reader = {
  id: 'wrk2',
  detect: (head) => detectWrk2(head),
  read: (source, options) => readWrkText(source, options, 'wrk2'),
};
