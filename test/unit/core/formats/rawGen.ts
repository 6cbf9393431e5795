/**
 * Generators of raw k6 `--out json` and hey CSV data for tests, with the exact answers
 * (values per series, errors, time span) known.
 */

import type { Series } from '../../../../src/core/series';
import { mulberry32 } from '../../helpers';

/** Everything a Series says, histogram as its encoding: equal fingerprints = equal results. */
export function fingerprint(series: Series[]) {
  return series.map((s) => ({ ...s, histogram: s.histogram?.encode() ?? null }));
}

export interface Expected {
  values: number[];
  errors: number;
}

export interface K6Endpoint {
  method: string;
  name: string;
  url: string;
  key: string;
  median: number;
}

export const K6_ENDPOINTS: K6Endpoint[] = [
  { method: 'GET', name: 'http://127.0.0.1:3000/api/items', url: 'http://127.0.0.1:3000/api/items', key: 'GET /api/items', median: 12 },
  { method: 'POST', name: 'http://127.0.0.1:3000/api/orders?x=1', url: 'http://127.0.0.1:3000/api/orders?x=1', key: 'POST /api/orders', median: 60 },
  { method: 'GET', name: 'search', url: 'http://127.0.0.1:3000/api/search?q=a', key: 'GET search', median: 150 },
];

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** Go's RFC3339Nano in +02:00 (trailing fraction zeros trimmed). */
export function rfc3339Nano(epochSec: number, ns: number): string {
  const d = new Date((epochSec + 7200) * 1000);
  let frac = pad(ns, 9).replace(/0+$/, '');
  if (frac) frac = `.${frac}`;
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}${frac}+02:00`;
}

export interface K6Data {
  text: string;
  expected: Map<string, Expected>;
  /** Exact seconds between the first and last http_req_duration point. */
  durationSec: number;
  startedAtMs: number;
}

/**
 * k6 NDJSON in k6's own layout: Metric declarations, then per request http_reqs,
 * http_req_duration, http_req_waiting and http_req_failed points.
 * `withFailed` false leaves out http_req_failed (errors then come from status codes).
 */
export function makeK6(requests: number, seed = 1, withFailed = true): K6Data {
  const rand = mulberry32(seed);
  const expected = new Map<string, Expected>(K6_ENDPOINTS.map((e) => [e.key, { values: [], errors: 0 }]));
  const start = 1714550400;
  let t = 0;
  let first = -1;
  let last = 0;
  const lines: string[] = [];
  for (const [n, type, contains] of [
    ['http_reqs', 'counter', 'default'],
    ['http_req_duration', 'trend', 'time'],
    ['http_req_failed', 'rate', 'default'],
  ]) {
    lines.push(`{"type":"Metric","data":{"name":"${n}","type":"${type}","contains":"${contains}","thresholds":[],"submetrics":null},"metric":"${n}"}`);
  }
  for (let i = 0; i < requests; i++) {
    const ep = K6_ENDPOINTS[Math.floor(rand() * K6_ENDPOINTS.length)]!;
    const ns = Math.max(1000, Math.round(ep.median * Math.exp(0.6 * (rand() + rand() + rand() - 1.5)) * 1e6));
    const value = ns / 1e6;
    const failed = rand() < 0.05;
    const status = failed ? (rand() < 0.3 ? '0' : '500') : '200';
    t += Math.floor(rand() * 3_000_000) + 1;
    const sec = Math.floor(t / 1e9);
    const time = rfc3339Nano(start + sec, t - sec * 1e9);
    if (first < 0) first = t;
    last = t;
    const ex = expected.get(ep.key)!;
    ex.values.push(value);
    if (failed) ex.errors++;
    const tags = `"tags":{"expected_response":"${failed ? 'false' : 'true'}","group":"","method":"${ep.method}","name":"${ep.name}","proto":"HTTP/1.1","scenario":"default","status":"${status}","url":"${ep.url}"}`;
    const head = `{"type":"Point","data":{"time":"${time}","value":`;
    lines.push(`${head}1,${tags}},"metric":"http_reqs"}`);
    lines.push(`${head}${value},${tags}},"metric":"http_req_duration"}`);
    lines.push(`${head}${(value * 0.9).toFixed(6)},${tags}},"metric":"http_req_waiting"}`);
    if (withFailed) lines.push(`${head}${failed ? 1 : 0},${tags}},"metric":"http_req_failed"}`);
  }
  return {
    text: `${lines.join('\n')}\n`,
    expected,
    durationSec: (last - first) / 1e9,
    startedAtMs: (start + Math.floor(first / 1e9)) * 1000 + (first % 1e9) / 1e6,
  };
}

export interface HeyData {
  text: string;
  expected: Expected;
  durationSec: number;
}

/** hey `-o csv` rows (no newline at the end, like hey). */
export function makeHey(rows: number, seed = 1): HeyData {
  const rand = mulberry32(seed);
  const values: number[] = [];
  let errors = 0;
  let end = 0;
  let offset = 0;
  const out = ['response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset'];
  for (let i = 0; i < rows; i++) {
    const rt = Math.max(1, Math.round(80 * Math.exp(0.5 * (rand() + rand() - 1)) + rand() * 40)) / 1e4;
    const status = rand() < 0.04 ? (rand() < 0.5 ? 404 : 503) : rand() < 0.1 ? 204 : 200;
    if (status < 200 || status > 299) errors++;
    offset += rand() * 0.002;
    const off = Number(offset.toFixed(4));
    values.push(Number(`${rt.toFixed(4)}e3`));
    end = Math.max(end, Number(`${off.toFixed(4)}e3`) + Number(`${rt.toFixed(4)}e3`));
    out.push(`${rt.toFixed(4)},0.0004,0.0000,0.0001,${Math.max(0, rt - 0.0003).toFixed(4)},0.0001,${status},${off.toFixed(4)}`);
  }
  return { text: out.join('\n'), expected: { values, errors }, durationSec: end / 1000 };
}
