// The slice of Vercel's request/response the functions use (Node's http objects underneath),
// declared here so the example needs no @vercel/node or @types/node.
export interface ApiRequest {
  method?: string;
  url?: string;
}
export interface ApiResponse {
  statusCode: number;
  setHeader(name: string, value: string): void;
  end(body?: string): void;
}

export function json(res: ApiResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
export const jitter = (lo: number, hi: number) => lo + Math.random() * (hi - lo);
