import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRegtestNode } from '../src/index';
import { post, startNode } from './helpers';

describe('JSON-RPC envelope and HTTP status (Core 29 httprpc.cpp)', () => {
  let node: RunningRegtestNode;

  beforeAll(async () => {
    node = await startNode({ wallets: ['alpha', 'beta'] });
  });
  afterAll(() => node.close());

  it('legacy request: result and error both present, HTTP 200', async () => {
    const res = await post(node, '{"id":"a","method":"getblockcount","params":[]}');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.text).toBe('{"result":0,"error":null,"id":"a"}\n');
  });

  it('legacy errors are HTTP errors: 404 method not found, 500 RPC error, 400 invalid request, 500 parse error', async () => {
    const missing = await post(node, '{"jsonrpc":"1.0","id":1,"method":"nosuch"}');
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({ result: null, error: { code: -32601, message: 'Method not found' }, id: 1 });

    const rpcError = await post(node, '{"id":2,"method":"getblockhash","params":[99]}');
    expect(rpcError.status).toBe(500);
    expect(rpcError.json()).toEqual({ result: null, error: { code: -8, message: 'Block height out of range' }, id: 2 });

    const invalid = await post(node, '{"id":3}');
    expect(invalid.status).toBe(400);
    expect(invalid.json()).toEqual({ result: null, error: { code: -32600, message: 'Missing method' }, id: 3 });

    const parse = await post(node, '{"id":');
    expect(parse.status).toBe(500);
    expect(parse.json()).toEqual({ result: null, error: { code: -32700, message: 'Parse error' }, id: null });
  });

  it('JSON-RPC 2.0: always HTTP 200, no null member, notifications get 204', async () => {
    const ok = await post(node, '{"jsonrpc":"2.0","id":7,"method":"getblockcount"}');
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('{"jsonrpc":"2.0","result":0,"id":7}\n');

    const err = await post(node, '{"jsonrpc":"2.0","id":8,"method":"nosuch"}');
    expect(err.status).toBe(200);
    expect(err.json()).toEqual({ jsonrpc: '2.0', error: { code: -32601, message: 'Method not found' }, id: 8 });

    const note = await post(node, '{"jsonrpc":"2.0","method":"getblockcount"}');
    expect(note.status).toBe(204);
    expect(note.text).toBe('');

    const badVersion = await post(node, '{"jsonrpc":"3.0","id":9,"method":"getblockcount"}');
    expect(badVersion.status).toBe(400);
    expect(badVersion.json()).toMatchObject({ error: { code: -32600, message: 'JSON-RPC version not supported' } });
  });

  it('batches answer 200 with one entry per non-notification', async () => {
    const res = await post(
      node,
      JSON.stringify([
        { jsonrpc: '2.0', id: 1, method: 'getblockcount' },
        { jsonrpc: '2.0', method: 'getblockcount' },
        { id: 2, method: 'nosuch' },
        { jsonrpc: '2.0', id: 3, method: 'getblockhash', params: { height: 0 } },
        5,
      ]),
    );
    expect(res.status).toBe(200);
    expect(res.json()).toEqual([
      { jsonrpc: '2.0', result: 0, id: 1 },
      { result: null, error: { code: -32601, message: 'Method not found' }, id: 2 },
      { jsonrpc: '2.0', result: '0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206', id: 3 },
      { result: null, error: { code: -32600, message: 'Invalid Request object' } },
    ]);
    const onlyNotes = await post(node, '[{"jsonrpc":"2.0","method":"getblockcount"}]');
    expect(onlyNotes.status).toBe(204);
  });

  it('requires basic auth: 401 with an empty body and the jsonrpc realm', async () => {
    for (const auth of [null, 'user:wrong']) {
      const res = await post(node, '{"id":1,"method":"getblockcount"}', { auth });
      expect(res.status).toBe(401);
      expect(res.text).toBe('');
      expect(res.headers.get('www-authenticate')).toBe('Basic realm="jsonrpc"');
    }
  });

  it('routes wallet RPCs: -19 on / with two wallets, -18 for an unknown wallet, ok on /wallet/<name>', async () => {
    const unspecified = await post(node, '{"id":1,"method":"getwalletinfo"}');
    expect(unspecified.status).toBe(500);
    expect(unspecified.json()).toMatchObject({
      error: { code: -19, message: 'Wallet file not specified (must request wallet RPC through /wallet/<filename> uri-path).' },
    });
    const unknown = await post(node, '{"id":1,"method":"getwalletinfo"}', { path: '/wallet/nope' });
    expect(unknown.json()).toMatchObject({ error: { code: -18, message: 'Requested wallet does not exist or is not loaded' } });
    const ok = await post(node, '{"id":1,"method":"getwalletinfo"}', { path: '/wallet/beta' });
    expect(ok.json()).toMatchObject({ result: { walletname: 'beta' }, error: null });
    const nonWallet = await post(node, '{"id":1,"method":"getblockcount"}', { path: '/wallet/beta' });
    expect(nonWallet.json()).toMatchObject({ result: 0 });
  });

  it('maps named parameters onto Core argument order and rejects unknown names', async () => {
    const res = await post(node, '{"id":1,"method":"getblockhash","params":{"heigth":0}}');
    expect(res.json()).toMatchObject({ error: { code: -8, message: 'Unknown named parameter heigth' } });
    const typed = await post(node, '{"id":1,"method":"getblockhash","params":["0"]}');
    // RPCHelpMan::HandleRequest (src/rpc/util.cpp): every mistyped argument, named by position, in one -3.
    expect(typed.json()).toMatchObject({
      error: { code: -3, message: 'Wrong type passed:\n{\n    "Position 1 (height)": "JSON value of type string is not of expected type number"\n}' },
    });
  });

  it('answers -28 while warming up, then recovers', async () => {
    node.controls.warmup(true);
    const legacy = await post(node, '{"id":1,"method":"getblockcount"}');
    expect(legacy.status).toBe(500);
    expect(legacy.json()).toEqual({ result: null, error: { code: -28, message: 'Loading block index…' }, id: 1 });
    node.controls.warmup(true, 'Verifying blocks…');
    const v2 = await post(node, '{"jsonrpc":"2.0","id":1,"method":"getblockcount"}');
    expect(v2.status).toBe(200);
    expect(v2.json()).toMatchObject({ error: { code: -28, message: 'Verifying blocks…' } });
    node.controls.warmup(false);
    expect((await post(node, '{"id":1,"method":"getblockcount"}')).json()).toMatchObject({ result: 0 });
  });
});
