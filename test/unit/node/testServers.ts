// Local HTTP servers (random ports on loopback) that the HTTP benchmark tests send requests to.
import { readdirSync, readFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as net from 'node:net';

export interface TestServer {
  url: string;
  close: () => Promise<void>;
}

/** Starts `server` on `host` (random port); `close` also drops the connections kept alive. */
async function listening(server: http.Server, host: string): Promise<TestServer> {
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A tiny server on 127.0.0.1 (random port): GET /a takes 20 ms, GET /b 50 ms, POST /c 5 ms and answers 500 to every 4th. */
export async function delayServer(): Promise<TestServer> {
  let c = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    const route = `${req.method} ${req.url}`;
    const delay = route === 'GET /a' ? 20 : route === 'GET /b' ? 50 : route === 'POST /c' ? 5 : 0;
    const status = route === 'POST /c' ? (++c % 4 === 0 ? 500 : 200) : delay ? 200 : 404;
    setTimeout(() => res.writeHead(status, { 'content-type': 'text/plain' }).end('ok'), delay);
  });
  return listening(server, '127.0.0.1');
}

/** A port on 127.0.0.1 that nothing listens on (free a moment ago). */
export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

/** What one process shows other users of the machine: its command line, and (owner only) its environment. */
export interface Shown {
  pid: number;
  cmdline: string;
  environ: string;
}

/** The live child processes of this process, as /proc shows them. */
function childrenOfThisProcess(): Shown[] {
  const out: Shown[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      const read = (f: string) => readFileSync(`/proc/${entry}/${f}`, 'utf8').split('\0').join(' ');
      out.push({ pid: Number(entry), cmdline: read('cmdline'), environ: read('environ') });
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

/**
 * A server on `host` (random port) answering 200 at once, recording each request's headers; on the
 * first request it looks at this process's children (the benchmark process sending them).
 */
export async function recordingServer(host = '127.0.0.1'): Promise<TestServer & { requests: http.IncomingHttpHeaders[]; senders: Shown[] }> {
  const requests: http.IncomingHttpHeaders[] = [];
  const senders: Shown[] = [];
  const server = http.createServer((req, res) => {
    if (requests.length === 0) senders.push(...childrenOfThisProcess());
    requests.push(req.headers);
    req.resume();
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
  return { ...(await listening(server, host)), requests, senders };
}
