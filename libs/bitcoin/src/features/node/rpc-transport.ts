import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/**
 * A connection left idle this long is closed by us, before Core's `-rpcservertimeout` (30 s by default) would close it
 * under a request being sent.
 */
const IDLE_CONNECTION_MS = 15_000;

/**
 * One pool of kept-alive connections per protocol for every client of the process. `fetch` closed a connection after
 * 4 s idle, so each poll of the node (5 s, 10 s) opened a new one (ADR 40).
 */
const HTTP = { request: httpRequest, agent: new HttpAgent({ keepAlive: true, timeout: IDLE_CONNECTION_MS }) };
const HTTPS = { request: httpsRequest, agent: new HttpsAgent({ keepAlive: true, timeout: IDLE_CONNECTION_MS }) };

export interface HttpAnswer {
  status: number;
  text: string;
}

/**
 * POSTs `body` to `url` on a kept-alive connection and reads the whole answer. Rejects with the socket's error (its
 * `code`: ECONNREFUSED, ECONNRESET...) or, once `signal` fires, with an AbortError.
 */
export function postJson(url: URL, headers: Record<string, string>, body: string, signal: AbortSignal): Promise<HttpAnswer> {
  const { request, agent } = url.protocol === 'https:' ? HTTPS : HTTP;
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) }, signal }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('close', () => {
        if (!response.complete) reject(Object.assign(new Error('the connection closed before the whole answer'), { code: 'ECONNRESET' }));
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
