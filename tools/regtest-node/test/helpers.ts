import { startRegtestNode, type RegtestNodeOptions, type RunningRegtestNode } from '../src/index';

export interface RawResponse {
  status: number;
  text: string;
  headers: Headers;
  json: () => unknown;
}

export async function post(node: RunningRegtestNode, body: string, opts: { path?: string; auth?: string | null } = {}): Promise<RawResponse> {
  const auth = opts.auth === undefined ? `${node.credentials.user}:${node.credentials.password}` : opts.auth;
  const res = await fetch(`${node.url}${opts.path ?? '/'}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth === null ? {} : { authorization: `Basic ${Buffer.from(auth).toString('base64')}` }) },
    body,
  });
  const text = await res.text();
  return { status: res.status, text, headers: res.headers, json: () => JSON.parse(text) };
}

export class RpcCallError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** A JSON-RPC 1.0 client like the gateway's: result or an RpcCallError with Core's code. */
export function client(node: RunningRegtestNode, wallet?: string) {
  return async <T = unknown>(method: string, params: unknown[] | Record<string, unknown> = []): Promise<T> => {
    const res = await post(node, JSON.stringify({ id: 1, method, params }), { path: wallet === undefined ? '/' : `/wallet/${wallet}` });
    const body = res.json() as { result: T; error: { code: number; message: string } | null };
    if (body.error) throw new RpcCallError(body.error.code, body.error.message);
    return body.result;
  };
}

export async function expectRpcError(promise: Promise<unknown>, code: number, message?: string | RegExp): Promise<RpcCallError> {
  try {
    await promise;
  } catch (e) {
    if (!(e instanceof RpcCallError)) throw e;
    if (e.code !== code) throw new Error(`expected code ${code}, got ${e.code}: ${e.message}`);
    if (typeof message === 'string' && e.message !== message) throw new Error(`expected message "${message}", got "${e.message}"`);
    if (message instanceof RegExp && !message.test(e.message)) throw new Error(`message "${e.message}" does not match ${message}`);
    return e;
  }
  throw new Error(`expected RPC error ${code}, call succeeded`);
}

export const startNode = (opts: RegtestNodeOptions = {}) => startRegtestNode({ port: 0, rpcUser: 'user', rpcPassword: 'pass', ...opts });

/** A node whose wallet holds one mature coinbase (101 blocks mined to it), and a client of it. */
export async function startFundedNode(opts: RegtestNodeOptions = {}): Promise<{ node: RunningRegtestNode; rpc: ReturnType<typeof client> }> {
  const node = await startNode(opts);
  const rpc = client(node);
  await rpc('generatetoaddress', [101, await rpc<string>('getnewaddress')]);
  return { node, rpc };
}
