import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { satsToBtc } from './amount';
import { parseLosslessJson, type LosslessJson, JsonNumber } from './lossless-json';
import { postJson, type HttpAnswer } from './rpc-transport';
import { BitcoinRpcAuthError, BitcoinRpcError, BitcoinRpcTransportError, RPC_IN_WARMUP, RPC_WALLET_NOT_FOUND } from './rpc-errors';
import {
  addressInfoSchema,
  balancesSchema,
  blockSchema,
  blockchainInfoSchema,
  bumpFeeSchema,
  decodedTransactionSchema,
  fundedRawTransactionSchema,
  mempoolEntrySchema,
  signedRawTransactionSchema,
  finalizedPsbtSchema,
  fundedPsbtSchema,
  hash,
  hex,
  int,
  listSinceBlockSchema,
  nullSchema,
  processedPsbtSchema,
  smartFeeSchema,
  transactionSchema,
  validateAddressSchema,
  walletInfoSchema,
  type AddressInfo,
  type Balances,
  type Block,
  type BlockchainInfo,
  type BumpFeeResult,
  type DecodedTransaction,
  type FundedRawTransaction,
  type MempoolEntry,
  type SignedRawTransaction,
  type FinalizedPsbt,
  type FundedPsbt,
  type ListSinceBlockResult,
  type ProcessedPsbt,
  type SmartFeeEstimate,
  type ValidateAddressResult,
  type WalletInfo,
  type WalletTransaction,
  txOutSchema,
  type TxOut,
} from './rpc-schemas';

export type BitcoinRpcAuth = { user: string; password: string } | { cookieFile: string };

export interface BitcoinRpcClientOptions {
  /** Base URL of the node, e.g. http://127.0.0.1:18443 */
  url: string;
  /** Wallet name: calls go to `/wallet/<name>` (required by Core when several wallets are loaded). */
  wallet?: string;
  /** rpcauth/rpcuser credentials, or the node's `.cookie` file (re-read on every call: Core rewrites it on restart). */
  auth: BitcoinRpcAuth;
  /** Per attempt, including reading the answer. Default 30 s. */
  timeoutMs?: number;
  /** Extra attempts for idempotent reads after a transport failure or warm-up (-28). Default 3. */
  retries?: number;
  /** First retry delay, doubled per attempt (capped at 5 s). Default 250 ms. */
  retryDelayMs?: number;
  /** Aborts the calls in flight (as a timeout) once it fires: a client whose owner stops. */
  signal?: AbortSignal;
}

/**
 * RPCs that only read: safe to repeat after a timeout or while Core warms up. Anything else (a send, getnewaddress,
 * walletpassphrase) is attempted exactly once: after a timeout its outcome is unknown and the caller must reconcile.
 */
export const IDEMPOTENT_RPC_METHODS: ReadonlySet<string> = new Set([
  'getblockchaininfo',
  'getnetworkinfo',
  'getblockcount',
  'getbestblockhash',
  'waitforblockheight',
  'getblockhash',
  'getblock',
  'getblockheader',
  'gettransaction',
  'listsinceblock',
  'listtransactions',
  'listunspent',
  'getrawtransaction',
  'getrawmempool',
  'getmempoolentry',
  'gettxout',
  'estimatesmartfee',
  'getbalances',
  'getbalance',
  'getwalletinfo',
  'listwallets',
  'validateaddress',
  'getaddressinfo',
  'decodepsbt',
  'decoderawtransaction',
  'listlockunspent',
  // Pure functions of their arguments and the wallet's keys: nothing is stored or sent.
  'createrawtransaction',
  'signrawtransactionwithwallet',
]);

export type AddressKind = 'legacy' | 'p2sh-segwit' | 'bech32' | 'bech32m';
export type EstimateMode = 'unset' | 'economical' | 'conservative';

/** A fee rate in sat/vB as a decimal string with at most 3 decimals (Core's precision), e.g. "12" or "1.25". */
export type FeeRateSatPerVb = string;

export interface CreateFundedPsbtInput {
  inputs?: { txid: string; vout: number; sequence?: number }[];
  outputs: { address: string; amountSats: bigint }[];
  locktime?: number;
  options?: {
    feeRateSatPerVb?: FeeRateSatPerVb;
    confTarget?: number;
    estimateMode?: EstimateMode;
    subtractFeeFromOutputs?: number[];
    replaceable?: boolean;
    changeAddress?: string;
    changeType?: AddressKind;
    lockUnspents?: boolean;
    includeUnsafe?: boolean;
    addInputs?: boolean;
  };
}

/** fundrawtransaction's options (the same keys as walletcreatefundedpsbt's). */
export type FundingOptions = NonNullable<CreateFundedPsbtInput['options']>;

export interface CreateRawTransactionInput {
  inputs?: { txid: string; vout: number; sequence?: number }[];
  /** In this order; Core refuses two outputs to one address, and more than one `data` (OP_RETURN, hex) output. */
  outputs: ({ address: string; amountSats: bigint } | { data: string })[];
  locktime?: number;
  replaceable?: boolean;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_RETRIES = 3;
const DEFAULT_RETRY_DELAY_MS = 250;
const MAX_RETRY_DELAY_MS = 5_000;
const FEE_RATE = /^(0|[1-9][0-9]*)(\.[0-9]{1,3})?$/;

/** A typed JSON-RPC 1.0 client for Bitcoin Core that keeps amounts exact (bigint satoshis). */
export class BitcoinRpcClient {
  private readonly endpoint: URL;
  private nextId = 1;

  constructor(private readonly options: BitcoinRpcClientOptions) {
    const base = options.url.replace(/\/+$/, '');
    this.endpoint = new URL(options.wallet === undefined ? `${base}/` : `${base}/wallet/${encodeURIComponent(options.wallet)}`);
  }

  /** The same node, another wallet. */
  forWallet(wallet: string): BitcoinRpcClient {
    return new BitcoinRpcClient({ ...this.options, wallet });
  }

  /**
   * Calls any RPC. Trailing undefined params are dropped, inner ones sent as null (Core's "use the default").
   * Without a schema the result comes back with numbers as {@link JsonNumber}.
   */
  async call<S extends z.ZodType>(method: string, params: readonly unknown[], schema: S): Promise<z.output<S>>;
  async call(method: string, params?: readonly unknown[]): Promise<LosslessJson>;
  async call(method: string, params: readonly unknown[] = [], schema?: z.ZodType): Promise<unknown> {
    try {
      return await this.attempt(method, params, schema);
    } catch (error) {
      // The call did not run: the wallet is not loaded (Core restarted without loading it). Load it, then once more.
      if (!(error instanceof BitcoinRpcError && error.code === RPC_WALLET_NOT_FOUND) || this.options.wallet === undefined || method === 'loadwallet') throw error;
      await this.loadWallet(this.options.wallet);
      return this.attempt(method, params, schema);
    }
  }

  private async attempt(method: string, params: readonly unknown[], schema?: z.ZodType): Promise<unknown> {
    const retries = IDEMPOTENT_RPC_METHODS.has(method) ? (this.options.retries ?? DEFAULT_RETRIES) : 0;
    const baseDelay = this.options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await this.send(method, params);
        if (!schema) return result;
        const parsed = schema.safeParse(result);
        if (!parsed.success) {
          throw new BitcoinRpcTransportError(method, 'bad-response', `unexpected result: ${z.prettifyError(parsed.error)}`);
        }
        return parsed.data;
      } catch (error) {
        if (attempt >= retries || !isRetryable(error)) throw error;
        await sleep(Math.min(baseDelay * 2 ** attempt, MAX_RETRY_DELAY_MS));
      }
    }
  }

  getBlockchainInfo(): Promise<BlockchainInfo> {
    return this.call('getblockchaininfo', [], blockchainInfoSchema);
  }

  getBlockCount(): Promise<number> {
    return this.call('getblockcount', [], int);
  }

  getBestBlockHash(): Promise<string> {
    return this.call('getbestblockhash', [], hash);
  }

  /**
   * Held by Core until the tip is at `height` or more, or `timeoutMs` pass (0: no limit; the client's own timeout
   * must be longer); answers the tip then, in either case. Hidden from `help` up to Core 29, public since 30.
   */
  waitForBlockHeight(height: number, timeoutMs: number): Promise<{ hash: string; height: number }> {
    return this.call('waitforblockheight', [height, timeoutMs], z.object({ hash, height: int }));
  }

  getBlockHash(height: number): Promise<string> {
    return this.call('getblockhash', [height], hash);
  }

  /** The block with its txids (verbosity 1). */
  getBlock(blockHash: string): Promise<Block> {
    return this.call('getblock', [blockHash, 1], blockSchema);
  }

  getNewAddress(options: { label?: string; addressType?: AddressKind } = {}): Promise<string> {
    return this.call('getnewaddress', [options.label, options.addressType], z.string());
  }

  getAddressInfo(address: string): Promise<AddressInfo> {
    return this.call('getaddressinfo', [address], addressInfoSchema);
  }

  validateAddress(address: string): Promise<ValidateAddressResult> {
    return this.call('validateaddress', [address], validateAddressSchema);
  }

  listSinceBlock(
    options: { blockHash?: string; targetConfirmations?: number; includeWatchonly?: boolean; includeRemoved?: boolean; includeChange?: boolean } = {},
  ): Promise<ListSinceBlockResult> {
    const { blockHash, targetConfirmations, includeWatchonly, includeRemoved, includeChange } = options;
    return this.call('listsinceblock', [blockHash, targetConfirmations, includeWatchonly, includeRemoved, includeChange], listSinceBlockSchema);
  }

  getTransaction(txid: string, options: { includeWatchonly?: boolean } = {}): Promise<WalletTransaction> {
    return this.call('gettransaction', [txid, options.includeWatchonly], transactionSchema);
  }

  /** The fee rate as satoshis per 1000 vbytes (Core answers BTC/kvB); undefined with `errors` when Core has no estimate. */
  estimateSmartFee(confTarget: number, mode?: EstimateMode): Promise<SmartFeeEstimate> {
    return this.call('estimatesmartfee', [confTarget, mode], smartFeeSchema);
  }

  getBalances(): Promise<Balances> {
    return this.call('getbalances', [], balancesSchema);
  }

  /** Loads a wallet of the node's wallet directory; one already loaded (-35) counts as loaded. */
  async loadWallet(name: string): Promise<void> {
    const node = new BitcoinRpcClient({ ...this.options, wallet: undefined });
    try {
      await node.call('loadwallet', [name], z.object({ name: z.string() }).loose());
    } catch (error) {
      if (!(error instanceof BitcoinRpcError && error.kind === 'wallet-already-loaded')) throw error;
    }
  }

  /** The unspent output, or null when it is spent (or never existed); `includeMempool: false` looks at the chain only. */
  getTxOut(txid: string, vout: number, includeMempool = true): Promise<TxOut | null> {
    return this.call('gettxout', [txid, vout, includeMempool], txOutSchema.nullable());
  }

  /** Outputs the wallet keeps out of coin selection (lockunspent). */
  listLockUnspent(): Promise<{ txid: string; vout: number }[]> {
    return this.call('listlockunspent', [], z.array(z.object({ txid: hash, vout: int })));
  }

  getWalletInfo(): Promise<WalletInfo> {
    return this.call('getwalletinfo', [], walletInfoSchema);
  }

  async walletCreateFundedPsbt({ inputs = [], outputs, locktime, options = {} }: CreateFundedPsbtInput): Promise<FundedPsbt> {
    return this.call('walletcreatefundedpsbt', [inputs, coreOutputs(outputs), locktime, fundingOptions(options)], fundedPsbtSchema);
  }

  /** An unsigned transaction (hex) with exactly these inputs and outputs. */
  async createRawTransaction({ inputs = [], outputs, locktime, replaceable }: CreateRawTransactionInput): Promise<string> {
    return this.call('createrawtransaction', [inputs, coreOutputs(outputs), locktime, replaceable], hex);
  }

  /** Adds wallet inputs and a change output (at `changepos`, -1 if none); `fee` is the resulting fee in satoshis. */
  async fundRawTransaction(txHex: string, options: FundingOptions = {}): Promise<FundedRawTransaction> {
    return this.call('fundrawtransaction', [txHex, fundingOptions(options)], fundedRawTransactionSchema);
  }

  signRawTransactionWithWallet(txHex: string): Promise<SignedRawTransaction> {
    return this.call('signrawtransactionwithwallet', [txHex], signedRawTransactionSchema);
  }

  decodeRawTransaction(txHex: string): Promise<DecodedTransaction> {
    return this.call('decoderawtransaction', [txHex], decodedTransactionSchema);
  }

  /** Rejects with code -5 (`kind` 'invalid-address-or-key') when the transaction is not in the mempool. */
  getMempoolEntry(txid: string): Promise<MempoolEntry> {
    return this.call('getmempoolentry', [txid], mempoolEntrySchema);
  }

  walletProcessPsbt(psbt: string, options: { sign?: boolean; sighashType?: string; bip32derivs?: boolean; finalize?: boolean } = {}): Promise<ProcessedPsbt> {
    return this.call('walletprocesspsbt', [psbt, options.sign, options.sighashType, options.bip32derivs, options.finalize], processedPsbtSchema);
  }

  finalizePsbt(psbt: string, extract?: boolean): Promise<FinalizedPsbt> {
    return this.call('finalizepsbt', [psbt, extract], finalizedPsbtSchema);
  }

  /** Never retried. `maxFeeRateSatPerKvB` caps the fee rate (Core's default is 0.10 BTC/kvB; 0n disables the cap). */
  async sendRawTransaction(txHex: string, options: { maxFeeRateSatPerKvB?: bigint; maxBurnAmountSats?: bigint } = {}): Promise<string> {
    const { maxFeeRateSatPerKvB, maxBurnAmountSats } = options;
    return this.call(
      'sendrawtransaction',
      [txHex, maxFeeRateSatPerKvB === undefined ? undefined : amount(maxFeeRateSatPerKvB), maxBurnAmountSats === undefined ? undefined : amount(maxBurnAmountSats)],
      hash,
    );
  }

  getRawMempool(): Promise<string[]> {
    return this.call('getrawmempool', [false], z.array(hash));
  }

  async bumpFee(txid: string, options: { confTarget?: number; feeRateSatPerVb?: FeeRateSatPerVb; replaceable?: boolean; estimateMode?: EstimateMode } = {}): Promise<BumpFeeResult> {
    const coreOptions = definedEntries({
      conf_target: options.confTarget,
      fee_rate: options.feeRateSatPerVb === undefined ? undefined : feeRate(options.feeRateSatPerVb),
      replaceable: options.replaceable,
      estimate_mode: options.estimateMode,
    });
    return this.call('bumpfee', [txid, coreOptions], bumpFeeSchema);
  }

  async walletPassphrase(passphrase: string, timeoutSeconds: number): Promise<void> {
    await this.call('walletpassphrase', [passphrase, timeoutSeconds], nullSchema);
  }

  async walletLock(): Promise<void> {
    await this.call('walletlock', [], nullSchema);
  }

  /** Regtest only: mines blocks paying to `address`; returns their hashes. */
  generateToAddress(blocks: number, address: string): Promise<string[]> {
    return this.call('generatetoaddress', [blocks, address], z.array(hash));
  }

  private callSignal(): AbortSignal {
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    return this.options.signal ? AbortSignal.any([timeout, this.options.signal]) : timeout;
  }

  private async send(method: string, params: readonly unknown[]): Promise<LosslessJson> {
    const id = this.nextId++;
    const body = JSON.stringify({ jsonrpc: '1.0', id, method, params: wireParams(params) });
    const authorization = await this.authorization(method);

    let response: HttpAnswer;
    try {
      response = await postJson(this.endpoint, { 'content-type': 'application/json', authorization }, body, this.callSignal());
    } catch (error) {
      throw transportError(method, error, this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    }
    const { text } = response;

    if (response.status === 401 || response.status === 403) throw new BitcoinRpcAuthError(method, response.status);
    if (response.status === 503) throw new BitcoinRpcTransportError(method, 'busy', 'Bitcoin Core is busy (HTTP 503)', 503);

    let envelope: LosslessJson;
    try {
      envelope = parseLosslessJson(text);
    } catch {
      throw new BitcoinRpcTransportError(method, 'bad-response', `HTTP ${response.status} without a JSON-RPC body`, response.status);
    }
    if (!isObject(envelope) || !('result' in envelope || 'error' in envelope)) {
      throw new BitcoinRpcTransportError(method, 'bad-response', `HTTP ${response.status} with a body that is not a JSON-RPC response`, response.status);
    }
    const error = envelope['error'];
    if (error !== null && error !== undefined) {
      if (!isObject(error) || !(error['code'] instanceof JsonNumber)) {
        throw new BitcoinRpcTransportError(method, 'bad-response', 'malformed JSON-RPC error', response.status);
      }
      throw new BitcoinRpcError(method, Number(error['code'].raw), typeof error['message'] === 'string' ? error['message'] : '');
    }
    if (response.status !== 200) {
      throw new BitcoinRpcTransportError(method, 'bad-response', `HTTP ${response.status} without an error`, response.status);
    }
    if (!(envelope['id'] instanceof JsonNumber) || Number(envelope['id'].raw) !== id) {
      throw new BitcoinRpcTransportError(method, 'bad-response', 'the response id does not match the request id', response.status);
    }
    return envelope['result'] ?? null;
  }

  private async authorization(method: string): Promise<string> {
    const { auth } = this.options;
    let credentials: string;
    if ('cookieFile' in auth) {
      try {
        credentials = (await readFile(auth.cookieFile, 'utf8')).trim();
      } catch (error) {
        throw new BitcoinRpcTransportError(method, 'connection', `cannot read the cookie file ${auth.cookieFile} (is the node running?)`, undefined, {
          cause: error,
        });
      }
      if (!credentials.includes(':')) throw new BitcoinRpcTransportError(method, 'connection', `the cookie file ${auth.cookieFile} is malformed`);
    } else {
      credentials = `${auth.user}:${auth.password}`;
    }
    return `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
  }
}

/** Amounts go out as exact decimal strings ("0.00012345"), which Core accepts wherever it takes an amount. */
function amount(sats: bigint): string {
  if (sats < 0n) throw new RangeError('amount must not be negative');
  return satsToBtc(sats);
}

function coreOutputs(outputs: CreateRawTransactionInput['outputs']): Record<string, string>[] {
  return outputs.map((o) => ('data' in o ? { data: o.data } : { [o.address]: amount(o.amountSats) }));
}

function fundingOptions(options: FundingOptions): Record<string, unknown> {
  return definedEntries({
    fee_rate: options.feeRateSatPerVb === undefined ? undefined : feeRate(options.feeRateSatPerVb),
    conf_target: options.confTarget,
    estimate_mode: options.estimateMode,
    subtractFeeFromOutputs: options.subtractFeeFromOutputs,
    replaceable: options.replaceable,
    changeAddress: options.changeAddress,
    change_type: options.changeType,
    lockUnspents: options.lockUnspents,
    include_unsafe: options.includeUnsafe,
    add_inputs: options.addInputs,
  });
}

function feeRate(rate: FeeRateSatPerVb): string {
  if (!FEE_RATE.test(rate)) throw new RangeError(`fee rate "${rate}" must be sat/vB with at most 3 decimals`);
  return rate;
}

function wireParams(params: readonly unknown[]): unknown[] {
  let end = params.length;
  while (end > 0 && params[end - 1] === undefined) end--;
  return params.slice(0, end).map((p) => (p === undefined ? null : p));
}

function definedEntries(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined));
}

function isObject(value: LosslessJson | undefined): value is { [key: string]: LosslessJson } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof JsonNumber);
}

function transportError(method: string, error: unknown, timeoutMs: number): BitcoinRpcTransportError {
  const name = (error as Error | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new BitcoinRpcTransportError(method, 'timeout', `no answer within ${timeoutMs} ms`, undefined, { cause: error });
  }
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  const detail = code ?? message ?? String(error);
  return new BitcoinRpcTransportError(method, 'connection', `cannot reach Bitcoin Core (${detail})`, undefined, { cause: error });
}

function isRetryable(error: unknown): boolean {
  if (error instanceof BitcoinRpcError) return error.code === RPC_IN_WARMUP;
  return error instanceof BitcoinRpcTransportError && error.failure !== 'bad-response';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
