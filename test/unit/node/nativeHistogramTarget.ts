// A scrape target serving native histograms (Prometheus protobuf exposition, io.prometheus.client
// MetricFamily, length-delimited): what client_golang serves with NativeHistogramBucketFactor set.
// Each scrape is one more "interval" of the same requests, so the counters grow linearly.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One handler's native histogram (schema 0: bucket i is (2^(i-1), 2^i] seconds), per scrape. */
export interface NativeRoute {
  labels: Record<string, string>;
  /** Observations per scrape in the zero bucket [-zeroThreshold, zeroThreshold]. */
  zero: number;
  /** Observations per scrape in positive buckets 0, 1, 2, … (consecutive from index 0). */
  positive: number[];
  /** Sum of the observations of one scrape, seconds. */
  sum: number;
}

const ZERO_THRESHOLD = 0.001;

const varint = (n: bigint): number[] => {
  const out: number[] = [];
  let v = n;
  do {
    const low = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v > 0n ? low | 0x80 : low);
  } while (v > 0n);
  return out;
};
const tag = (field: number, wire: 0 | 1 | 2) => varint(BigInt((field << 3) | wire));
const message = (field: number, body: number[]) => [...tag(field, 2), ...varint(BigInt(body.length)), ...body];
const text = (field: number, s: string) => message(field, [...Buffer.from(s, 'utf8')]);
const uint = (field: number, n: number) => [...tag(field, 0), ...varint(BigInt(n))];
const sint = (field: number, n: number) => [...tag(field, 0), ...varint((BigInt(n) << 1n) ^ (n < 0 ? -1n : 0n))];
const double = (field: number, v: number) => {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(v);
  return [...tag(field, 1), ...b];
};

/** metrics.proto Histogram after `n` scrapes: count 1, sum 2, schema 5, zero_threshold 6, zero_count 7, positive_span 12, positive_delta 13. */
function histogram(r: NativeRoute, n: number): number[] {
  const count = (r.zero + r.positive.reduce((a, b) => a + b, 0)) * n;
  const deltas = r.positive.map((c, i) => (c - (r.positive[i - 1] ?? 0)) * n);
  return [
    ...uint(1, count),
    ...double(2, r.sum * n),
    ...sint(5, 0),
    ...double(6, ZERO_THRESHOLD),
    ...uint(7, r.zero * n),
    ...message(12, [...sint(1, 0), ...uint(2, r.positive.length)]),
    ...deltas.flatMap((d) => sint(13, d)),
  ];
}

/** The exposition after `n` scrapes: one MetricFamily (name 1, help 2, type 3 = HISTOGRAM, metric 4), length-prefixed. */
export function nativeExposition(family: string, routes: readonly NativeRoute[], n: number): Buffer {
  const metrics = routes.flatMap((r) => message(4, [...Object.entries(r.labels).flatMap(([k, v]) => message(1, [...text(1, k), ...text(2, v)])), ...message(7, histogram(r, n))]));
  const body = [...text(1, family), ...text(2, 'Request duration.'), ...uint(3, 4), ...metrics];
  return Buffer.from([...varint(BigInt(body.length)), ...body]);
}

/** Serves `nativeExposition` on 127.0.0.1 (random port), one scrape more at every request. */
export async function nativeTarget(family: string, routes: readonly NativeRoute[]): Promise<{ hostPort: string; scrapes: () => number; close: () => Promise<void> }> {
  let scrapes = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    scrapes++;
    res.writeHead(200, { 'content-type': 'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited' }).end(nativeExposition(family, routes, scrapes));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    hostPort: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    scrapes: () => scrapes,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
