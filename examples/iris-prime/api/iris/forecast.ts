import { type ApiRequest, type ApiResponse, jitter, json, sleep } from '../../lib/http';

// GET /api/iris/forecast: recomputes the 90-day forecast on every request (no cache yet),
// which puts it over the 150 ms p95 budget.
export default async function handler(_req: ApiRequest, res: ApiResponse) {
  await sleep(jitter(140, 260));
  json(res, 200, { horizonDays: 90, points: 90 });
}
