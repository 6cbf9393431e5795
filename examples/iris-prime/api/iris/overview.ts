import { type ApiRequest, type ApiResponse, jitter, json, sleep } from '../../lib/http';

// GET /api/iris/overview: the dashboard's headline numbers (cached aggregates).
export default async function handler(_req: ApiRequest, res: ApiResponse) {
  await sleep(jitter(15, 45));
  json(res, 200, { accounts: 1284, activeSignals: 37, health: 'green' });
}
