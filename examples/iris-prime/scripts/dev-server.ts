// A local stand-in for `vercel dev`: serves every api/**/*.ts function at its file route
// (api/iris/overview.ts -> /api/iris/overview; a default export takes any method, named
// GET/POST/... exports their method) on 127.0.0.1:$PORT, and exposes a Prometheus histogram of
// every request's duration at /metrics (text exposition 0.0.4).
import { readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

type Fn = (req: unknown, res: unknown) => unknown;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.125, 0.15, 0.175, 0.2, 0.25, 0.3, 0.5, 1, 2.5];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

const routes = new Map<string, Record<string, Fn>>();
for (const file of files(path.join(ROOT, 'api'))) {
  const url = `/${path.relative(ROOT, file).replace(/\\/g, '/').replace(/\.ts$/, '')}`;
  const mod = (await import(pathToFileURL(file).href)) as Record<string, Fn>;
  routes.set(url, mod);
}

// http_request_duration_seconds{method, route, status_code}: cumulative buckets, sum, count.
const series = new Map<string, { labels: string; buckets: number[]; sum: number; count: number }>();
function observe(method: string, route: string, status: number, seconds: number) {
  const labels = `method="${method}",route="${route}",status_code="${status}"`;
  let s = series.get(labels);
  if (!s) series.set(labels, (s = { labels, buckets: BUCKETS.map(() => 0), sum: 0, count: 0 }));
  BUCKETS.forEach((le, i) => {
    if (seconds <= le) s.buckets[i]! += 1;
  });
  s.sum += seconds;
  s.count += 1;
}
function exposition(): string {
  const out = ['# HELP http_request_duration_seconds Duration of HTTP requests in seconds.', '# TYPE http_request_duration_seconds histogram'];
  for (const s of series.values()) {
    BUCKETS.forEach((le, i) => out.push(`http_request_duration_seconds_bucket{${s.labels},le="${le}"} ${s.buckets[i]}`));
    out.push(`http_request_duration_seconds_bucket{${s.labels},le="+Inf"} ${s.count}`);
    out.push(`http_request_duration_seconds_sum{${s.labels}} ${s.sum}`);
    out.push(`http_request_duration_seconds_count{${s.labels}} ${s.count}`);
  }
  return `${out.join('\n')}\n`;
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname === '/metrics') {
    res.setHeader('content-type', 'text/plain; version=0.0.4');
    res.end(exposition());
    return;
  }
  const mod = routes.get(url.pathname);
  const method = req.method ?? 'GET';
  const fn = mod?.[method] ?? mod?.default;
  const t0 = process.hrtime.bigint();
  if (!fn) {
    res.statusCode = 404;
    res.end('not found');
    return;
  }
  try {
    await fn(req, res);
  } catch (e) {
    res.statusCode = 500;
    res.end(String(e));
  }
  if (url.pathname !== '/api/health') observe(method, url.pathname, res.statusCode, Number(process.hrtime.bigint() - t0) / 1e9);
});
const port = Number(process.env.PORT ?? 3000);
server.listen(port, '127.0.0.1', () => console.log(`iris-prime dev server on http://127.0.0.1:${port} (${routes.size} functions)`));
