import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { toJson } from '../json';
import type { Faults } from '../faults';
import type { RegtestNode } from '../node';
import { RpcError, RPC } from './errors';
import { execute, type MethodTable } from './registry';

export interface Credentials {
  user: string;
  password: string;
}

type Version = 'legacy' | '2.0';

interface Reply {
  status: number;
  body: string;
}

export type ControlHandler = (action: string, body: Record<string, unknown>) => Promise<unknown>;

function checkAuth(req: IncomingMessage, creds: Credentials): boolean {
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) return false;
  const given = Buffer.from(Buffer.from(header.slice(6).trim(), 'base64').toString('utf8'));
  const expected = Buffer.from(`${creds.user}:${creds.password}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Core's JSONRPCReplyObj. */
function replyObj(version: Version, id: unknown, result: unknown, error: RpcError | null, hasId: boolean): Record<string, unknown> {
  const reply: Record<string, unknown> = version === '2.0' ? { jsonrpc: '2.0' } : {};
  if (error) {
    if (version === 'legacy') reply.result = null;
    reply.error = error;
  } else {
    reply.result = result ?? null;
    if (version === 'legacy') reply.error = null;
  }
  if (hasId) reply.id = id ?? null;
  return reply;
}

interface ParsedRequest {
  version: Version;
  id: unknown;
  hasId: boolean;
  method: string;
  params: unknown;
}

/** Core's JSONRPCRequest::parse; throws RpcError with what it has parsed so far in `partial`. */
function parseRequest(value: unknown, partial: { version: Version; id: unknown; hasId: boolean }): ParsedRequest {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new RpcError(RPC.INVALID_REQUEST, 'Invalid Request object');
  const req = value as Record<string, unknown>;
  if (req.jsonrpc !== undefined && req.jsonrpc !== null) {
    if (typeof req.jsonrpc !== 'string') throw new RpcError(RPC.INVALID_REQUEST, 'jsonrpc field must be a string');
    if (req.jsonrpc === '2.0') partial.version = '2.0';
    else if (req.jsonrpc !== '1.0') throw new RpcError(RPC.INVALID_REQUEST, 'JSON-RPC version not supported');
  }
  partial.hasId = 'id' in req;
  partial.id = req.id;
  if (req.method === undefined || req.method === null) throw new RpcError(RPC.INVALID_REQUEST, 'Missing method');
  if (typeof req.method !== 'string') throw new RpcError(RPC.INVALID_REQUEST, 'Method must be a string');
  const params = req.params;
  if (params !== undefined && params !== null && typeof params !== 'object') throw new RpcError(RPC.INVALID_REQUEST, 'Params must be an array or object');
  return { ...partial, method: req.method, params };
}

const asRpcError = (e: unknown): RpcError => (e instanceof RpcError ? e : new RpcError(RPC.MISC_ERROR, e instanceof Error ? e.message : String(e)));

export class RpcServer {
  private server: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(
    private readonly node: RegtestNode,
    private readonly methods: MethodTable,
    private readonly faults: Faults,
    private readonly rpcAuth: Credentials,
    private readonly controlAuth: Credentials,
    private readonly control: ControlHandler,
  ) {
    this.server = this.create();
  }

  private create(): Server {
    const server = createServer((req, res) => void this.handle(req, res));
    // Core's -rpcservertimeout (30 s): how long an idle kept-alive connection stays open.
    server.keepAliveTimeout = 30_000;
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    return server;
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        const address = this.server.address();
        this.port = typeof address === 'object' && address ? address.port : port;
        resolve(this.port);
      });
    });
  }

  /** Stops accepting connections and cuts the open ones, as a crashed bitcoind would. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server.listening) return resolve();
      this.server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
    });
  }

  async reopen(host: string): Promise<void> {
    if (this.server.listening) return;
    this.server = this.create();
    await this.listen(this.port, host);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith('/control/')) return this.handleControl(req, res, url.pathname.slice('/control/'.length), body);

    let walletName: string | null = null;
    if (url.pathname.startsWith('/wallet/')) walletName = decodeURIComponent(url.pathname.slice('/wallet/'.length));
    else if (url.pathname !== '/') return this.send(res, { status: 404, body: '' });
    if (req.method !== 'POST') return this.send(res, { status: 405, body: 'JSONRPC server handles only POST requests' }, 'text/html');
    if (!checkAuth(req, this.rpcAuth)) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="jsonrpc"', 'Content-Length': 0 });
      res.end();
      return;
    }

    let parsed: unknown;
    let parseFailed = false;
    try {
      parsed = JSON.parse(body);
    } catch {
      parseFailed = true;
    }
    const methods = Array.isArray(parsed)
      ? parsed.map((r) => (r as { method?: unknown })?.method).filter((m): m is string => typeof m === 'string')
      : typeof (parsed as { method?: unknown })?.method === 'string'
        ? [(parsed as { method: string }).method]
        : [];
    if (this.faults.shouldDrop(methods)) {
      req.socket.destroy();
      return;
    }
    // Core's -rpcwhitelist: a request naming a method the user may not call is answered 403 without a body.
    if (methods.some((method) => this.faults.forbiddenMethods.has(method))) return this.send(res, { status: 403, body: '' });
    const reply = parseFailed
      ? this.errorReply({ version: 'legacy', id: null, hasId: true }, new RpcError(RPC.PARSE_ERROR, 'Parse error'))
      : await this.dispatch(parsed, walletName);
    const delayMs = this.faults.delayFor(methods);
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    this.send(res, reply);
  }

  /** Core's HTTPReq_JSONRPC; a batch's calls run one after another. */
  private async dispatch(value: unknown, walletName: string | null): Promise<Reply> {
    const ctx = { node: this.node, walletName };
    if (Array.isArray(value)) {
      const replies: unknown[] = [];
      for (const item of value) {
        const partial = { version: 'legacy' as Version, id: null as unknown, hasId: false };
        let response: Record<string, unknown>;
        try {
          const r = parseRequest(item, partial);
          response = await this.execOne(r, ctx);
        } catch (e) {
          response = replyObj(partial.version, partial.id, null, asRpcError(e), partial.hasId);
        }
        // Notifications (2.0 without id) get no entry.
        if (!(partial.version === '2.0' && !partial.hasId)) replies.push(response);
      }
      if (replies.length === 0) return { status: 204, body: '' };
      return { status: 200, body: `${toJson(replies)}\n` };
    }
    if (typeof value !== 'object' || value === null) {
      return this.errorReply({ version: 'legacy', id: null, hasId: false }, new RpcError(RPC.PARSE_ERROR, 'Top-level object parse error'));
    }
    const partial = { version: 'legacy' as Version, id: null as unknown, hasId: false };
    let request: ParsedRequest;
    try {
      request = parseRequest(value, partial);
    } catch (e) {
      return this.errorReply(partial, asRpcError(e));
    }
    if (request.version === '2.0') {
      const reply = await this.execOne(request, ctx);
      if (!request.hasId) return { status: 204, body: '' };
      return { status: 200, body: `${toJson(reply)}\n` };
    }
    try {
      const result = await this.call(request, ctx);
      return { status: 200, body: `${toJson(replyObj('legacy', request.id, result, null, request.hasId))}\n` };
    } catch (e) {
      return this.errorReply(request, asRpcError(e));
    }
  }

  /** What the method answers; a method that holds the call (waitforblockheight) answers a promise. */
  private call(request: ParsedRequest, ctx: { node: RegtestNode; walletName: string | null }): unknown {
    if (this.faults.warmup !== null) throw new RpcError(RPC.IN_WARMUP, this.faults.warmup);
    return execute(this.methods, request.method, request.params, ctx);
  }

  private async execOne(request: ParsedRequest, ctx: { node: RegtestNode; walletName: string | null }): Promise<Record<string, unknown>> {
    try {
      return replyObj(request.version, request.id, await this.call(request, ctx), null, request.hasId);
    } catch (e) {
      return replyObj(request.version, request.id, null, asRpcError(e), request.hasId);
    }
  }

  /** Core's JSONErrorReply: 400 for an invalid request, 404 for an unknown method, else 500. */
  private errorReply(request: { version: Version; id: unknown; hasId: boolean }, error: RpcError): Reply {
    const status = error.code === RPC.INVALID_REQUEST ? 400 : error.code === RPC.METHOD_NOT_FOUND ? 404 : 500;
    return { status, body: `${toJson(replyObj(request.version, request.id, null, error, request.hasId))}\n` };
  }

  private send(res: ServerResponse, reply: Reply, contentType = 'application/json'): void {
    if (reply.status === 204 || reply.body === '') {
      res.writeHead(reply.status, { 'Content-Length': 0 });
      res.end();
      return;
    }
    res.writeHead(reply.status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(reply.body) });
    res.end(reply.body);
  }

  private async handleControl(req: IncomingMessage, res: ServerResponse, action: string, body: string): Promise<void> {
    if (!checkAuth(req, this.controlAuth)) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="control"', 'Content-Length': 0 });
      res.end();
      return;
    }
    if (req.method !== 'POST') return this.send(res, { status: 405, body: '{"error":"POST only"}' });
    try {
      const input = body.trim() ? (JSON.parse(body) as Record<string, unknown>) : {};
      const result = await this.control(action, input);
      this.send(res, { status: 200, body: `${toJson({ result: result ?? null })}\n` });
    } catch (e) {
      const status = e instanceof RpcError && e.code === RPC.METHOD_NOT_FOUND ? 404 : 400;
      this.send(res, { status, body: `${toJson({ error: asRpcError(e) })}\n` });
    }
  }
}
