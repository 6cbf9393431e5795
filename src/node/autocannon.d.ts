// The part of autocannon's programmatic API the built-in HTTP benchmark uses (autocannon 9 ships
// no types). Checked against node_modules/autocannon/lib/run.js and httpClient.js.
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  namespace autocannon {
    interface Options {
      url: string;
      method?: string;
      headers?: Record<string, string>;
      body?: string;
      connections?: number;
      /** Seconds. */
      duration?: number;
      /** Requests per second, shared by the connections (integers, floor + remainder). */
      overallRate?: number;
      /** Requests in total, shared by the connections; a connection whose share is 0 is unlimited. */
      maxOverallRequests?: number;
      /** Seconds before a request times out (an error; the connection reconnects). */
      timeout?: number;
      pipelining?: number;
    }
    /** The client (one connection) the event is about; `rate` is its share of overallRate. */
    interface Client {
      rate?: number;
    }
    interface Instance extends EventEmitter {
      /** run.js: tracker.emit('response', client, statusCode, resBytes, responseTime ms). */
      on(event: 'response', fn: (client: Client, statusCode: number, resBytes: number, responseTimeMs: number) => void): this;
      /** Socket errors and timeouts ("request timed out"). */
      on(event: 'reqError', fn: (error: Error) => void): this;
      on(event: string, fn: (...args: unknown[]) => void): this;
      stop(): void;
    }
    interface Result {
      errors: number;
      timeouts: number;
      non2xx: number;
      duration: number;
    }
  }
  function autocannon(opts: autocannon.Options, cb: (err: Error | null, result: autocannon.Result) => void): autocannon.Instance;
  export = autocannon;
}
