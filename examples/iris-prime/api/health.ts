import type { ApiRequest, ApiResponse } from '../lib/http';

export default function handler(_req: ApiRequest, res: ApiResponse) {
  res.statusCode = 200;
  res.end('ok');
}
