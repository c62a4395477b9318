import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BitcoinRpcClient, type BitcoinRpcClientOptions } from './bitcoin-rpc.client';
import { JsonNumber } from './lossless-json';
import { BitcoinRpcAuthError, BitcoinRpcError, BitcoinRpcTransportError } from './rpc-errors';

interface RecordedRequest {
  url: string;
  authorization: string | undefined;
  body: { jsonrpc: string; id: number; method: string; params: unknown[] };
  /** The client's end of the connection the request came on. */
  clientPort: number | undefined;
}

/** What the fake node answers: status plus raw body text (so tests control the exact number literals). */
type Reply = { status: number; body: string } | 'hang';
type Handler = (request: RecordedRequest, index: number) => Reply;

/** A Core-shaped JSON-RPC 1.0 answer; `result` is raw JSON text. */
const ok = (id: number, result: string): Reply => ({ status: 200, body: `{"result":${result},"error":null,"id":${id}}\n` });
const rpcError = (id: number, code: number, message: string, status = 500): Reply => ({
  status,
  body: `{"result":null,"error":{"code":${code},"message":${JSON.stringify(message)}},"id":${id}}\n`,
});

const user = { user: 'bitro', password: 'secret' };
const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;
const txid = 'ab'.repeat(32);
const blockHash = '0f'.repeat(32);

let server: Server;
let baseUrl: string;
let handler: Handler;
let requests: RecordedRequest[];
let tempDir: string;

beforeAll(async () => {
  tempDir = await mkdtemp(join(tmpdir(), 'bitcoin-rpc-'));
  server = createServer(async (req: IncomingMessage, res) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    const recorded: RecordedRequest = { url: req.url ?? '', authorization: req.headers.authorization, body: JSON.parse(text), clientPort: req.socket.remotePort };
    requests.push(recorded);
    const reply = handler(recorded, requests.length - 1);
    if (reply === 'hang') return;
    res.writeHead(reply.status, reply.body ? { 'content-type': 'application/json' } : {});
    res.end(reply.body);
  });
  server.keepAliveTimeout = 30_000; // Core's -rpcservertimeout
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(() => {
  requests = [];
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(tempDir, { recursive: true, force: true });
});

function client(options: Partial<BitcoinRpcClientOptions> = {}): BitcoinRpcClient {
  requests = [];
  return new BitcoinRpcClient({ url: baseUrl, auth: user, timeoutMs: 2_000, retries: 3, retryDelayMs: 1, ...options });
}

describe('BitcoinRpcClient protocol', () => {
  it('sends a JSON-RPC 1.0 envelope with basic auth to the node root', async () => {
    handler = (r) => ok(r.body.id, '42');
    const rpc = client();
    expect(await rpc.getBlockCount()).toBe(42);
    expect(requests[0]).toEqual({
      url: '/',
      authorization: basic('bitro:secret'),
      body: { jsonrpc: '1.0', id: expect.any(Number), method: 'getblockcount', params: [] },
      clientPort: expect.any(Number),
    });
  });

  it('drops trailing omitted params and sends inner ones as null', async () => {
    handler = (r) => ok(r.body.id, `{"transactions":[],"lastblock":"${blockHash}"}`);
    await client().listSinceBlock({ blockHash, includeRemoved: true });
    expect(requests[0].body.params).toEqual([blockHash, null, null, true]);
    await client().listSinceBlock();
    expect(requests[0].body.params).toEqual([]);
  });

  it('addresses a wallet at /wallet/<url-encoded name>', async () => {
    handler = (r) => ok(r.body.id, '"bcrt1qexample"');
    await client({ wallet: 'hot wallet/ü' }).getNewAddress({ addressType: 'bech32' });
    expect(requests[0].url).toBe('/wallet/hot%20wallet%2F%C3%BC');
    expect(requests[0].body.params).toEqual([null, 'bech32']);
    await client({ url: `${baseUrl}/` }).forWallet('gateway').getNewAddress();
    expect(requests[0].url).toBe('/wallet/gateway');
  });

  it('reads the cookie file on every call', async () => {
    const cookieFile = join(tempDir, '.cookie');
    await writeFile(cookieFile, '__cookie__:first\n');
    handler = (r) => ok(r.body.id, '1');
    const rpc = client({ auth: { cookieFile } });
    await rpc.getBlockCount();
    await writeFile(cookieFile, '__cookie__:second');
    await rpc.getBlockCount();
    expect(requests.map((r) => r.authorization)).toEqual([basic('__cookie__:first'), basic('__cookie__:second')]);
  });

  it('reports a missing cookie file as a transport error', async () => {
    const rpc = client({ auth: { cookieFile: join(tempDir, 'missing') }, retries: 0 });
    await expect(rpc.getBlockCount()).rejects.toMatchObject({ name: 'BitcoinRpcTransportError', failure: 'connection' });
  });

  it('maps 401 without a body to an auth error and does not retry it', async () => {
    handler = () => ({ status: 401, body: '' });
    const rpc = client();
    const error = await rpc.getBlockCount().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BitcoinRpcAuthError);
    expect(error).toMatchObject({ status: 401, method: 'getblockcount' });
    expect(requests).toHaveLength(1);
  });

  it.each([
    [-5, 'invalid-address-or-key'],
    [-6, 'insufficient-funds'],
    [-8, 'invalid-parameter'],
    [-13, 'unlock-needed'],
    [-14, 'wrong-passphrase'],
    [-25, 'verify-error'],
    [-26, 'verify-rejected'],
    [-27, 'already-in-chain'],
    [-18, 'wallet-not-found'],
    [-99, 'other'],
  ])('maps an HTTP 500 error body with code %i to kind %s', async (code, kind) => {
    handler = (r) => rpcError(r.body.id, code, 'Core says no');
    const error = await client().sendRawTransaction('00').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BitcoinRpcError);
    expect(error).toMatchObject({ code, kind, rpcMessage: 'Core says no', method: 'sendrawtransaction' });
  });

  it('maps 404 method not found', async () => {
    handler = (r) => rpcError(r.body.id, -32601, 'Method not found', 404);
    await expect(client().call('nosuchmethod')).rejects.toMatchObject({ code: -32601, kind: 'method-not-found' });
  });

  it('treats a 404 without a JSON-RPC body (wrong path) as a bad response', async () => {
    handler = () => ({ status: 404, body: '' });
    await expect(client({ retries: 0 }).getBlockCount()).rejects.toMatchObject({ failure: 'bad-response', status: 404 });
  });

  it('retries an idempotent read while Core warms up (-28), then succeeds', async () => {
    handler = (r, i) => (i < 2 ? rpcError(r.body.id, -28, 'Loading block index…') : ok(r.body.id, '100'));
    expect(await client().getBlockCount()).toBe(100);
    expect(requests).toHaveLength(3);
  });

  it('retries a read after HTTP 503 and gives up after `retries` extra attempts', async () => {
    handler = () => ({ status: 503, body: 'Work queue depth exceeded' });
    await expect(client({ retries: 2 }).getBestBlockHash()).rejects.toMatchObject({ failure: 'busy', status: 503 });
    expect(requests).toHaveLength(3);
  });

  it('never retries sendrawtransaction, not even during warm-up', async () => {
    handler = (r) => rpcError(r.body.id, -28, 'Verifying blocks…');
    await expect(client().sendRawTransaction('0200')).rejects.toMatchObject({ kind: 'in-warmup' });
    expect(requests).toHaveLength(1);
  });

  it('does not retry RPC errors other than warm-up on reads', async () => {
    handler = (r) => rpcError(r.body.id, -5, 'Invalid or non-wallet transaction id');
    await expect(client().getTransaction(txid)).rejects.toMatchObject({ kind: 'invalid-address-or-key' });
    expect(requests).toHaveLength(1);
  });

  it('times out, and retries a timed-out read but not a send', async () => {
    handler = () => 'hang';
    await expect(client({ timeoutMs: 50, retries: 1 }).getBlockCount()).rejects.toMatchObject({ failure: 'timeout' });
    expect(requests).toHaveLength(2);
    await expect(client({ timeoutMs: 50 }).sendRawTransaction('0200')).rejects.toMatchObject({ failure: 'timeout' });
    expect(requests).toHaveLength(1);
  });

  it('keeps the connection to the node alive between calls, across clients of the process, idle for 5 s', async () => {
    handler = (r) => ok(r.body.id, '7');
    const first = client();
    await first.getBlockCount();
    // Longer than fetch kept an idle connection (4 s), as the deposit scan's 5 s between calls.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    await first.getBlockCount();
    await first.forWallet('bitro').getBlockCount();
    expect(requests).toHaveLength(3);
    expect(new Set(requests.map((r) => r.clientPort)).size).toBe(1);
  });

  it('gives up a call at once when its owner stops (the signal fires)', async () => {
    handler = () => 'hang';
    const stopping = new AbortController();
    const call = client({ timeoutMs: 60_000, retries: 0, signal: stopping.signal }).getBlockCount();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    stopping.abort();
    await expect(call).rejects.toMatchObject({ failure: 'timeout' });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('distinguishes connection refused', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await client({ url: `http://127.0.0.1:${port}`, retries: 0 }).getBlockCount().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BitcoinRpcTransportError);
    expect(error).toMatchObject({ failure: 'connection' });
    expect((error as Error).message).toContain('ECONNREFUSED');
  });

  it('rejects a response whose id does not match, or whose result has the wrong shape', async () => {
    handler = (r) => ok(r.body.id + 1, '1');
    await expect(client({ retries: 0 }).getBlockCount()).rejects.toMatchObject({ failure: 'bad-response' });
    handler = (r) => ok(r.body.id, '"not a number"');
    await expect(client({ retries: 0 }).getBlockCount()).rejects.toMatchObject({ failure: 'bad-response' });
    handler = () => ({ status: 200, body: '<html>proxy error</html>' });
    await expect(client({ retries: 0 }).getBlockCount()).rejects.toMatchObject({ failure: 'bad-response' });
  });

  it('returns raw results with numbers as JsonNumber when called without a schema', async () => {
    handler = (r) => ok(r.body.id, '{"size":3,"bytes":0.1}');
    expect(await client().call('getmempoolinfo')).toEqual({ size: new JsonNumber('3'), bytes: new JsonNumber('0.1') });
  });
});

describe('BitcoinRpcClient amounts', () => {
  it('parses amounts to exact satoshis', async () => {
    handler = (r) =>
      ok(
        r.body.id,
        `{"mine":{"trusted":21000000.00000000,"untrusted_pending":0.00000001,"immature":123456.78901234},` +
          `"lastprocessedblock":{"hash":"${blockHash}","height":101}}`,
      );
    expect(await client().getBalances()).toEqual({
      mine: { trusted: 2_100_000_000_000_000n, untrusted_pending: 1n, immature: 12_345_678_901_234n },
      lastprocessedblock: { hash: blockHash, height: 101 },
    });
  });

  it('parses signed amounts of wallet transactions', async () => {
    const entry = (category: string, amount: string, extra = '') =>
      `{"address":"bcrt1qexample","category":"${category}","amount":${amount},"vout":1,"confirmations":-2,"txid":"${txid}",` +
      `"walletconflicts":[],"time":1700000000,"timereceived":1700000000,"bip125-replaceable":"no"${extra}}`;
    handler = (r) => ok(r.body.id, `{"transactions":[${entry('send', '-0.50000000', ',"fee":-0.00000141')},${entry('receive', '0.00012345')}],"removed":[],"lastblock":"${blockHash}"}`);
    const result = await client().listSinceBlock({ blockHash });
    expect(result.transactions.map((t) => [t.category, t.amount, t.fee, t.confirmations])).toEqual([
      ['send', -50_000_000n, -141n, -2],
      ['receive', 12_345n, undefined, -2],
    ]);
  });

  it('rejects an amount with more than 8 decimals instead of rounding it', async () => {
    handler = (r) => ok(r.body.id, `{"mine":{"trusted":0.000000001,"untrusted_pending":0,"immature":0}}`);
    await expect(client().getBalances()).rejects.toMatchObject({ failure: 'bad-response' });
  });

  it('converts the fee estimate from BTC/kvB to sat/kvB', async () => {
    handler = (r) => ok(r.body.id, '{"feerate":0.00012345,"blocks":2}');
    expect(await client().estimateSmartFee(6, 'economical')).toEqual({ feeRateSatPerKvB: 12_345n, errors: [], blocks: 2 });
    expect(requests[0].body.params).toEqual([6, 'economical']);
    handler = (r) => ok(r.body.id, '{"errors":["Insufficient data or no feerate found"],"blocks":0}');
    expect(await client().estimateSmartFee(2)).toEqual({ feeRateSatPerKvB: undefined, errors: ['Insufficient data or no feerate found'], blocks: 0 });
  });

  it('sends amounts as exact 8-decimal strings', async () => {
    handler = (r) => ok(r.body.id, '{"psbt":"cHNidP8=","fee":0.00000141,"changepos":1}');
    const funded = await client().walletCreateFundedPsbt({
      outputs: [
        { address: 'bcrt1qa', amountSats: 12_345_678_901_234n },
        { address: 'bcrt1qb', amountSats: 1n },
      ],
      options: { feeRateSatPerVb: '1.5', replaceable: true, subtractFeeFromOutputs: [0] },
    });
    expect(funded).toEqual({ psbt: 'cHNidP8=', fee: 141n, changepos: 1 });
    expect(requests[0].body.params).toEqual([
      [],
      [{ bcrt1qa: '123456.78901234' }, { bcrt1qb: '0.00000001' }],
      null,
      { fee_rate: '1.5', subtractFeeFromOutputs: [0], replaceable: true },
    ]);

    handler = (r) => ok(r.body.id, `"${txid}"`);
    expect(await client().sendRawTransaction('0200', { maxFeeRateSatPerKvB: 100_000n })).toBe(txid);
    expect(requests[0].body.params).toEqual(['0200', '0.00100000']);
  });

  it('refuses negative amounts and over-precise fee rates before calling Core', async () => {
    const rpc = client();
    await expect(rpc.walletCreateFundedPsbt({ outputs: [{ address: 'bcrt1qa', amountSats: -1n }] })).rejects.toThrow(RangeError);
    await expect(rpc.bumpFee(txid, { feeRateSatPerVb: '1.0001' })).rejects.toThrow(RangeError);
    expect(requests).toHaveLength(0);
  });
});

describe('BitcoinRpcClient typed methods', () => {
  it('walletpassphrase / walletlock return nothing; bumpfee parses fees', async () => {
    handler = (r) =>
      r.body.method === 'bumpfee' ? ok(r.body.id, `{"txid":"${txid}","origfee":0.00000141,"fee":0.00000282,"errors":[]}`) : ok(r.body.id, 'null');
    const rpc = client({ wallet: 'gateway' });
    await expect(rpc.walletPassphrase('pw', 30)).resolves.toBeUndefined();
    await expect(rpc.walletLock()).resolves.toBeUndefined();
    expect(await rpc.bumpFee(txid, { confTarget: 3 })).toEqual({ txid, origfee: 141n, fee: 282n, errors: [] });
    expect(requests.map((r) => [r.body.method, r.body.params])).toEqual([
      ['walletpassphrase', ['pw', 30]],
      ['walletlock', []],
      ['bumpfee', [txid, { conf_target: 3 }]],
    ]);
  });

  it('parses getblockchaininfo and gettransaction', async () => {
    handler = (r) =>
      r.body.method === 'getblockchaininfo'
        ? ok(
            r.body.id,
            `{"chain":"regtest","blocks":101,"headers":101,"bestblockhash":"${blockHash}","bits":"207fffff","target":"7fff","difficulty":4.656542373906925e-10,` +
              `"time":1700000000,"mediantime":1700000000,"verificationprogress":1,"initialblockdownload":false,"chainwork":"00ca","size_on_disk":30000,"pruned":false,"warnings":[]}`,
          )
        : ok(
            r.body.id,
            `{"amount":0.01000000,"confirmations":3,"blockhash":"${blockHash}","blockheight":99,"blockindex":1,"blocktime":1700000000,"txid":"${txid}",` +
              `"wtxid":"${txid}","walletconflicts":[],"time":1700000000,"timereceived":1700000000,"bip125-replaceable":"no",` +
              `"details":[{"address":"bcrt1qexample","category":"receive","amount":0.01000000,"label":"","vout":0,"abandoned":false}],"hex":"0200"}`,
          );
    const info = await client().getBlockchainInfo();
    expect(info).toMatchObject({ chain: 'regtest', blocks: 101, initialblockdownload: false, verificationprogress: 1 });
    const tx = await client().getTransaction(txid);
    expect(tx).toMatchObject({ amount: 1_000_000n, confirmations: 3, blockheight: 99, details: [{ vout: 0, amount: 1_000_000n, category: 'receive' }] });
  });
});

describe('BitcoinRpcClient raw transactions', () => {
  it('creates, funds, signs and decodes with Core argument names and exact amounts', async () => {
    const results: Record<string, string> = {
      createrawtransaction: '"0200aa"',
      fundrawtransaction: '{"hex":"0200bb","fee":0.00000282,"changepos":1}',
      signrawtransactionwithwallet: '{"hex":"0200cc","complete":true}',
      decoderawtransaction:
        `{"txid":"${txid}","hash":"${txid}","version":2,"size":222,"vsize":141,"weight":561,"locktime":0,` +
        `"vin":[{"txid":"${blockHash}","vout":0,"scriptSig":{"asm":"","hex":""},"txinwitness":["30","02"],"sequence":4294967293}],` +
        `"vout":[{"value":0.00100000,"n":0,"scriptPubKey":{"asm":"0 aa","desc":"addr(bcrt1qa)#x","hex":"0014aa","address":"bcrt1qa","type":"witness_v0_keyhash"}}]}`,
    };
    handler = (r) => ok(r.body.id, results[r.body.method]);
    const rpc = client({ wallet: 'gateway' });
    expect(await rpc.createRawTransaction({ outputs: [{ address: 'bcrt1qa', amountSats: 100_000n }], replaceable: true })).toBe('0200aa');
    expect(await rpc.fundRawTransaction('0200aa', { feeRateSatPerVb: '2.5', replaceable: true })).toEqual({ hex: '0200bb', fee: 282n, changepos: 1 });
    expect(await rpc.signRawTransactionWithWallet('0200bb')).toEqual({ hex: '0200cc', complete: true });
    const decoded = await rpc.decodeRawTransaction('0200cc');
    expect(decoded).toMatchObject({ txid, vsize: 141, vin: [{ txid: blockHash, vout: 0, sequence: 4294967293 }], vout: [{ value: 100_000n, n: 0 }] });
    expect(requests.map((r) => [r.body.method, r.body.params])).toEqual([
      ['createrawtransaction', [[], [{ bcrt1qa: '0.00100000' }], null, true]],
      ['fundrawtransaction', ['0200aa', { fee_rate: '2.5', replaceable: true }]],
      ['signrawtransactionwithwallet', ['0200bb']],
      ['decoderawtransaction', ['0200cc']],
    ]);
  });

  it('reports a transaction missing from the mempool as -5', async () => {
    handler = (r) => rpcError(r.body.id, -5, 'Transaction not in mempool');
    await expect(client().getMempoolEntry(txid)).rejects.toMatchObject({ code: -5, kind: 'invalid-address-or-key' });
  });
});

describe('a wallet that is not loaded (-18, Core restarted without load_on_startup)', () => {
  const notLoaded = (id: number) => rpcError(id, -18, 'Requested wallet does not exist or is not loaded');

  it('loads it (loadwallet on the node endpoint) and makes the call once more, even a call that is never retried', async () => {
    let loaded = false;
    handler = (r) => {
      if (r.body.method === 'loadwallet') {
        loaded = true;
        return ok(r.body.id, '{"name":"gateway","warnings":[]}');
      }
      return loaded ? ok(r.body.id, '"0200dd"') : notLoaded(r.body.id);
    };
    expect(await client({ wallet: 'gateway', retries: 0 }).call('walletprocesspsbt', ['cHNidP8'])).toBe('0200dd');
    expect(requests.map((r) => [r.url, r.body.method, r.body.params])).toEqual([
      ['/wallet/gateway', 'walletprocesspsbt', ['cHNidP8']],
      ['/', 'loadwallet', ['gateway']],
      ['/wallet/gateway', 'walletprocesspsbt', ['cHNidP8']],
    ]);
  });

  it('counts a wallet loaded meanwhile (-35) as loaded, and passes on a wallet that cannot be loaded', async () => {
    let calls = 0;
    handler = (r) => (r.body.method === 'loadwallet' ? rpcError(r.body.id, -35, 'Wallet "gateway" is already loaded.') : calls++ === 0 ? notLoaded(r.body.id) : ok(r.body.id, '7'));
    expect(await client({ wallet: 'gateway' }).getBlockCount()).toBe(7);

    requests = [];
    handler = (r) => (r.body.method === 'loadwallet' ? rpcError(r.body.id, -18, 'Wallet file verification failed. Path does not exist.') : notLoaded(r.body.id));
    await expect(client({ wallet: 'gateway' }).getBalances()).rejects.toMatchObject({ method: 'loadwallet', code: -18 });
    expect(requests.map((r) => r.body.method)).toEqual(['getbalances', 'loadwallet']);
  });
});
