import { type ApiRequest, type ApiResponse, jitter, json, sleep } from '../../lib/http';

// GET /api/iris/signals: the latest signals, one indexed query.
export async function GET(_req: ApiRequest, res: ApiResponse) {
  await sleep(jitter(30, 70));
  json(res, 200, { signals: [{ id: 's-1', kind: 'churn-risk', score: 0.82 }] });
}
