import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { answerJson, describeIssues, ISSUER_PATHS, redeemRequestSchema, verifyRequestSchema } from './issuer.protocol';
import { IssuerRequestRejectedError, IssuerUnavailableError } from './issuer.port';
import { SandboxIssuer } from './sandbox-issuer.adapter';

export interface IssuerServerOptions {
  /** The issuer behind the server; a fresh SandboxIssuer by default. */
  sandbox?: SandboxIssuer;
  /** When set, requests must carry `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

/** Fault controls for tests. */
export interface IssuerServerControls {
  readonly sandbox: SandboxIssuer;
  /** Every request received, oldest first. */
  readonly requests: ReceivedRequest[];
  /** While true, every request's connection is closed at once, without an answer. */
  down: boolean;
  /** Holds each of the next `count` requests for `ms` before handling it. It is still handled if the client gave up meanwhile, as a real server would. */
  delayNext(count: number, ms: number): void;
  /** Answers the next `count` requests with `status` without handling them. */
  failNext(count: number, status?: number): void;
  /** Handles the next `count` requests, then closes the connection instead of answering: the client cannot tell whether they were handled. */
  dropAnswerOfNext(count: number): void;
}

export type IssuerServer = Server & { readonly controls: IssuerServerControls };

const MAX_BODY_BYTES = 16 * 1024;

class BodyTooLargeError extends Error {
  constructor() {
    super(`the body is larger than ${MAX_BODY_BYTES} bytes`);
  }
}

/**
 * The issuer protocol of PROTOCOL.md served over node:http on top of a {@link SandboxIssuer}: the counterpart of
 * HttpIssuer in tests and end-to-end runs. Listen with `server.listen(0, '127.0.0.1')`.
 */
export function createIssuerServer(options: IssuerServerOptions = {}): IssuerServer {
  const sandbox = options.sandbox ?? new SandboxIssuer();
  const delays: number[] = [];
  const failures: number[] = [];
  let dropsLeft = 0;
  const controls: IssuerServerControls = {
    sandbox,
    requests: [],
    down: false,
    delayNext: (count, ms) => delays.push(...Array.from({ length: count }, () => ms)),
    failNext: (count, status = 503) => failures.push(...Array.from({ length: count }, () => status)),
    dropAnswerOfNext: (count) => {
      dropsLeft += count;
    },
  };

  const server = createServer((request, response) => {
    controls.requests.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers });
    if (controls.down) {
      request.socket.destroy();
      return;
    }
    const delay = delays.shift() ?? 0;
    const failStatus = failures.shift();
    const drop = dropsLeft > 0;
    if (drop) dropsLeft--;
    void readBody(request)
      .then(async (body) => {
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
        if (failStatus !== undefined) return problem(response, failStatus, 'injected failure');
        const answered = await handle(sandbox, options.apiKey, request, body);
        if (drop) return void request.socket.destroy();
        if (response.destroyed) return;
        if (answered.status === 200) return send(response, 200, 'application/json', answered.body);
        return problem(response, answered.status, answered.body);
      })
      .catch((error: unknown) => {
        if (error instanceof BodyTooLargeError) return problem(response, 413, error.message);
        problem(response, 500, error instanceof Error ? error.message : String(error));
      });
  });
  return Object.assign(server, { controls });
}

/** The protocol itself: 200 with the answer, or a status and the detail of a problem. */
async function handle(sandbox: SandboxIssuer, apiKey: string | undefined, request: IncomingMessage, body: string): Promise<{ status: number; body: string }> {
  const path = new URL(request.url ?? '/', 'http://issuer').pathname;
  if (path !== ISSUER_PATHS.verify && path !== ISSUER_PATHS.redeem) return { status: 404, body: `no route ${path}` };
  if (request.method !== 'POST') return { status: 405, body: `${path} takes POST only` };
  if (apiKey !== undefined && !sameSecret(request.headers.authorization ?? '', `Bearer ${apiKey}`)) return { status: 401, body: 'missing or wrong API key' };

  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { status: 400, body: 'the body is not JSON' };
  }
  try {
    if (path === ISSUER_PATHS.verify) {
      const input = verifyRequestSchema.safeParse(json);
      if (!input.success) return { status: 400, body: `invalid request: ${describeIssues(input.error, 'request')}` };
      return { status: 200, body: answerJson(await sandbox.verify(input.data)) };
    }
    const input = redeemRequestSchema.safeParse(json);
    if (!input.success) return { status: 400, body: `invalid request: ${describeIssues(input.error, 'request')}` };
    if (request.headers['idempotency-key'] !== input.data.reference) return { status: 400, body: 'the Idempotency-Key header must equal the reference' };
    return { status: 200, body: answerJson(await sandbox.redeem(input.data)) };
  } catch (error) {
    if (error instanceof IssuerRequestRejectedError) return { status: error.httpStatus, body: error.message };
    if (error instanceof IssuerUnavailableError) return { status: 503, body: error.message };
    throw error;
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) reject(new BodyTooLargeError());
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function problem(response: ServerResponse, status: number, detail: string): void {
  send(response, status, 'application/problem+json', JSON.stringify({ title: `HTTP ${status}`, status, detail }));
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  if (response.destroyed || response.headersSent) return;
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) }).end(body);
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
