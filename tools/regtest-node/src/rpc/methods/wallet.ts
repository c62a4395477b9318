import { hex } from '@scure/base';
import { decodeAddress, decodeDestination, scriptToAddress, type DecodedAddress } from '../../addresses';
import { amountFromValue, btc, parseFixedPoint } from '../../amounts';
import type { AddressType } from '../../keys';
import type { RegtestNode } from '../../node';
import { CreateTransactionError, FALLBACK_FEE_SAT_PER_KVB, rawHex, Wallet as WalletClass, type FeeChoice, type Recipient, type Wallet } from '../../wallet';
import { RpcError, RPC } from '../errors';
import { Params, parseHash } from '../params';
import type { MethodTable } from '../registry';
import { decodeHex } from './blockchain';
import { withChecksum } from '../descriptor';
import { nullDataScript } from '../../data-carrier';

function destination(address: string): Uint8Array {
  const dest = decodeAddress(address);
  if (!dest) throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, `Invalid Bitcoin address: ${address}`);
  return dest.script;
}

/** The wallet's fee rate: explicit fee_rate (sat/vB), else the node's estimate, else -fallbackfee. */
function feeRate(node: RegtestNode, p: Params, confIdx: number, modeIdx: number, rateIdx: number): FeeChoice {
  if (p.has(rateIdx)) {
    if (p.has(confIdx)) {
      throw new RpcError(
        RPC.INVALID_PARAMETER,
        'Cannot specify both conf_target and fee_rate. Please provide either a confirmation target in blocks for automatic fee estimation, or an explicit fee rate.',
      );
    }
    if (p.has(modeIdx) && String(p.values[modeIdx]).toLowerCase() !== 'unset') {
      throw new RpcError(RPC.INVALID_PARAMETER, 'Cannot specify both estimate_mode and fee_rate');
    }
    const value = p.values[rateIdx];
    const rate = typeof value === 'number' || typeof value === 'string' ? parseFixedPoint(String(value), 3) : null;
    if (rate === null || rate < 0n) throw new RpcError(RPC.TYPE_ERROR, 'Invalid amount');
    return { satPerKvB: rate, explicit: true };
  }
  return { satPerKvB: node.feeEstimate ?? FALLBACK_FEE_SAT_PER_KVB, explicit: false };
}

/** Core's SendMoney: any CreateTransaction failure is -6 (RPC_WALLET_INSUFFICIENT_FUNDS). */
function send(wallet: Wallet, node: RegtestNode, recipients: Recipient[], choice: FeeChoice, comment?: string, to?: string): string {
  let tx;
  try {
    ({ tx } = wallet.createTransaction(recipients, choice));
  } catch (e) {
    throw e instanceof CreateTransactionError ? e.asRpc(RPC.WALLET_INSUFFICIENT_FUNDS) : e;
  }
  node.acceptToMempool(tx);
  const wtx = wallet.txs.get(tx.txid);
  if (wtx) {
    wtx.comment = comment;
    wtx.to = to;
  }
  return tx.txid;
}

const lastProcessedBlock = (node: RegtestNode) => ({ hash: node.chain.tip.hash, height: node.chain.height });

export const walletMethods: MethodTable = {
  getnewaddress: {
    args: ['label', 'address_type'],
    wallet: true,
    handler: (p, { wallet }) => {
      const label = p.str(0) ?? '';
      if (label === '*') throw new RpcError(RPC.WALLET_INVALID_LABEL_NAME, 'Invalid label name');
      const type = p.str(1) ?? 'bech32';
      if (type !== 'bech32' && type !== 'bech32m') {
        if (['legacy', 'p2sh-segwit'].includes(type)) throw new RpcError(RPC.INVALID_PARAMETER, `regtest-node does not support address type '${type}'`);
        throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, `Unknown address type '${type}'`);
      }
      return wallet.newKey(type as AddressType, false, label).address;
    },
  },
  getaddressinfo: {
    args: ['address'],
    required: 1,
    wallet: true,
    handler: (p, { wallet }) => {
      const address = p.required(p.str(0), 0);
      const decoded = decodeDestination(address);
      if (!decoded.ok) throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, decoded.error);
      const dest = decoded.dest;
      const key = wallet.keyFor(dest.script);
      const fp = wallet.keychain.fingerprint;
      const origin = key ? `[${fp}${key.path.slice(1).replace(/'/g, 'h')}]${hex.encode(key.type === 'bech32' ? key.publicKey : key.publicKey.subarray(1))}` : '';
      return {
        address: scriptToAddress(dest.script) ?? address,
        scriptPubKey: hex.encode(dest.script),
        ismine: !!key,
        solvable: !!key,
        desc: key ? withChecksum(key.type === 'bech32' ? `wpkh(${origin})` : `tr(${origin})`) : undefined,
        parent_desc: key ? wallet.keychain.parentDescriptor(key.type, key.internal) : undefined,
        iswatchonly: false,
        ...describeAddress(dest),
        pubkey: key?.type === 'bech32' ? hex.encode(key.publicKey) : undefined,
        iscompressed: key?.type === 'bech32' ? true : undefined,
        ischange: key ? key.internal : false,
        timestamp: key?.timestamp,
        hdkeypath: key?.path.replace(/'/g, 'h'),
        hdseedid: undefined,
        hdmasterfingerprint: key ? fp : undefined,
        labels: key && !key.internal ? [wallet.labels.get(key.address) ?? ''] : [],
      };
    },
  },
  getbalances: {
    args: [],
    wallet: true,
    handler: (_p, { wallet, node }) => {
      const b = wallet.balances();
      return { mine: { trusted: btc(b.trusted), untrusted_pending: btc(b.untrustedPending), immature: btc(b.immature) }, lastprocessedblock: lastProcessedBlock(node) };
    },
  },
  getbalance: {
    args: ['dummy', 'minconf', 'include_watchonly', 'avoid_reuse'],
    wallet: true,
    handler: (p, { wallet }) => {
      if (p.has(0) && p.values[0] !== '*') throw new RpcError(RPC.METHOD_DEPRECATED, 'dummy first argument must be excluded or set to "*".');
      return btc(wallet.balances().trusted);
    },
  },
  getwalletinfo: {
    args: [],
    wallet: true,
    handler: (_p, { wallet, node }) => {
      const b = wallet.balances();
      return {
        walletname: wallet.name,
        walletversion: 169900,
        format: 'sqlite',
        balance: btc(b.trusted),
        unconfirmed_balance: btc(b.untrustedPending),
        immature_balance: btc(b.immature),
        txcount: wallet.txs.size,
        keypoolsize: 4000,
        keypoolsize_hd_internal: 4000,
        unlocked_until: wallet.unlockedUntilTime,
        paytxfee: btc(0n),
        private_keys_enabled: true,
        avoid_reuse: false,
        scanning: false,
        descriptors: true,
        external_signer: false,
        blank: false,
        lastprocessedblock: lastProcessedBlock(node),
      };
    },
  },
  walletpassphrase: {
    args: ['passphrase', 'timeout'],
    required: 2,
    wallet: true,
    handler: (p, { wallet }) => {
      wallet.unlock(p.required(p.str(0), 0), p.required(p.num(1), 1));
      return null;
    },
  },
  walletlock: {
    args: [],
    wallet: true,
    handler: (_p, { wallet }) => {
      wallet.lock();
      return null;
    },
  },
  listwallets: { args: [], handler: (_p, { node }) => [...node.wallets.keys()] },
  createwallet: {
    args: ['wallet_name', 'disable_private_keys', 'blank', 'passphrase', 'avoid_reuse', 'descriptors', 'load_on_startup', 'external_signer'],
    required: 1,
    handler: (p, { node }) => {
      const name = p.required(p.str(0), 0);
      if (node.wallets.has(name) || node.unloadedWallets.has(name)) {
        throw new RpcError(RPC.WALLET_ALREADY_EXISTS, `Wallet file verification failed. Failed to create database path '${node.walletPath(name)}'. Database already exists.`);
      }
      if (p.bool(5) === false) throw new RpcError(RPC.WALLET_ERROR, 'Legacy wallets are not supported by this regtest node');
      const passphrase = p.str(3);
      node.wallets.set(name, new WalletClass(node, { name, passphrase: passphrase || undefined }));
      return { name };
    },
  },
  loadwallet: {
    args: ['filename', 'load_on_startup'],
    required: 1,
    handler: (p, { node }) => ({ name: node.loadWallet(p.required(p.str(0), 0)).name }),
  },
  unloadwallet: {
    args: ['wallet_name', 'load_on_startup'],
    handler: (p, { node, walletName }) => {
      // Core's unloadwallet: the /wallet/<name> endpoint names the wallet, or the argument does; they must agree.
      let name = p.str(0);
      if (walletName !== null) {
        if (name !== undefined && name !== walletName) throw new RpcError(RPC.INVALID_PARAMETER, 'RPC endpoint wallet and wallet_name parameter specify different wallets');
        name = walletName;
      }
      if (name === undefined) throw new RpcError(RPC.MISC_ERROR, 'JSON value of type null is not of expected type string');
      node.unloadWallet(name);
      return {};
    },
  },
  encryptwallet: {
    args: ['passphrase'],
    required: 1,
    wallet: true,
    handler: (p, { wallet }) => {
      wallet.encrypt(p.required(p.str(0), 0));
      return 'wallet encrypted; The keypool has been flushed and a new HD seed was generated. You need to make a new backup with the backupwallet RPC.';
    },
  },
  abandontransaction: {
    args: ['txid'],
    required: 1,
    wallet: true,
    handler: (p, { wallet }) => {
      const wtx = wallet.txs.get(parseHash(p.values[0], 'txid'));
      if (!wtx) throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, 'Invalid or non-wallet transaction id');
      const st = wallet.status(wtx.tx);
      if (st.confirmations > 0 || st.inMempool || wtx.abandoned) throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, 'Transaction not eligible for abandonment');
      wtx.abandoned = true;
      return null;
    },
  },
  bumpfee: {
    args: ['txid', 'options'],
    required: 1,
    wallet: true,
    handler: (p, { wallet, node }) => {
      const txid = parseHash(p.values[0], 'txid');
      const opts = p.obj(1) ?? {};
      if (opts.fee_rate !== undefined && opts.conf_target !== undefined) {
        throw new RpcError(
          RPC.INVALID_PARAMETER,
          'Cannot specify both conf_target and fee_rate. Please provide either a confirmation target in blocks for automatic fee estimation, or an explicit fee rate.',
        );
      }
      const rate = opts.fee_rate === undefined ? undefined : parseFixedPoint(String(opts.fee_rate), 3);
      if (rate === null) throw new RpcError(RPC.TYPE_ERROR, 'Invalid amount');
      const bumped = wallet.bumpFee(txid, rate);
      node.acceptToMempool(bumped.tx);
      const original = wallet.txs.get(txid);
      const replacement = wallet.txs.get(bumped.tx.txid);
      if (original) original.replacedBy = bumped.tx.txid;
      if (replacement) {
        replacement.replaces = txid;
        replacement.comment = original?.comment;
        replacement.to = original?.to;
      }
      return { txid: bumped.tx.txid, origfee: btc(bumped.origFee), fee: btc(bumped.fee), errors: [] };
    },
  },
  getreceivedbyaddress: {
    args: ['address', 'minconf', 'include_immature_coinbase'],
    required: 1,
    wallet: true,
    handler: (p, { wallet }) => {
      const dest = decodeAddress(p.required(p.str(0), 0));
      if (!dest) throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, 'Invalid Bitcoin address');
      if (!wallet.keyFor(dest.script)) throw new RpcError(RPC.WALLET_ERROR, 'Address not found in wallet');
      const minconf = p.int(1) ?? 1;
      const immature = p.bool(2) ?? false;
      let total = 0n;
      for (const { tx } of wallet.txs.values()) {
        const confirmations = wallet.status(tx).confirmations;
        if (confirmations < minconf || (tx.isCoinbase && !immature && confirmations <= 100)) continue;
        for (const o of tx.outputs) if (hex.encode(o.script) === hex.encode(dest.script)) total += o.value;
      }
      return btc(total);
    },
  },
  sendtoaddress: {
    args: ['address', 'amount', 'comment', 'comment_to', 'subtractfeefromamount', 'replaceable', 'conf_target', 'estimate_mode', 'avoid_reuse', 'fee_rate', 'verbose'],
    required: 2,
    wallet: true,
    handler: (p, { wallet, node }) => {
      // Core checks the lock before it parses the address and amount.
      wallet.requireUnlocked();
      const script = destination(p.required(p.str(0), 0));
      const amount = amountFromValue(p.values[1]);
      if (amount <= 0n) throw new RpcError(RPC.TYPE_ERROR, 'Invalid amount for send');
      const rate = feeRate(node, p, 6, 7, 9);
      const txid = send(wallet, node, [{ script, value: amount, subtractFee: p.bool(4) ?? false }], rate, p.str(2), p.str(3));
      return p.bool(10) ? { txid, fee_reason: p.has(9) ? 'Fee rate specified' : 'Fallback fee' } : txid;
    },
  },
  sendmany: {
    args: ['dummy', 'amounts', 'minconf', 'comment', 'subtractfeefrom', 'replaceable', 'conf_target', 'estimate_mode', 'fee_rate', 'verbose'],
    required: 2,
    wallet: true,
    handler: (p, { wallet, node }) => {
      if (p.has(0) && p.values[0] !== '') throw new RpcError(RPC.INVALID_PARAMETER, 'Dummy value must be set to ""');
      wallet.requireUnlocked();
      const amounts = p.required(p.obj(1), 1);
      const subtract = new Set((p.arr(4) ?? []).map(String));
      const recipients: Recipient[] = Object.entries(amounts).map(([address, value]) => {
        const amount = amountFromValue(value);
        if (amount <= 0n) throw new RpcError(RPC.TYPE_ERROR, 'Invalid amount for send');
        return { script: destination(address), value: amount, subtractFee: subtract.has(address) };
      });
      if (recipients.length === 0) throw new RpcError(RPC.INVALID_PARAMETER, 'Transaction must have at least one recipient');
      const rate = feeRate(node, p, 6, 7, 8);
      const txid = send(wallet, node, recipients, rate, p.str(3));
      return p.bool(9) ? { txid, fee_reason: p.has(8) ? 'Fee rate specified' : 'Fallback fee' } : txid;
    },
  },
  gettransaction: {
    args: ['txid', 'include_watchonly', 'verbose'],
    required: 1,
    wallet: true,
    handler: (p, { wallet, node }) => {
      const wtx = wallet.txs.get(parseHash(p.values[0], 'txid'));
      if (!wtx) throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, 'Invalid or non-wallet transaction id');
      return {
        ...wallet.netAmounts(wtx.tx),
        ...wallet.txJson(wtx),
        details: wallet.entries(wtx, { long: false }),
        hex: wtx.tx.hex,
        lastprocessedblock: lastProcessedBlock(node),
      };
    },
  },
  listtransactions: {
    args: ['label', 'count', 'skip', 'include_watchonly'],
    wallet: true,
    handler: (p, { wallet }) => {
      const labelArg = p.str(0);
      const label = labelArg === undefined || labelArg === '*' ? undefined : labelArg;
      const count = p.int(1) ?? 10;
      const skip = p.int(2) ?? 0;
      if (count < 0) throw new RpcError(RPC.INVALID_PARAMETER, 'Negative count');
      if (skip < 0) throw new RpcError(RPC.INVALID_PARAMETER, 'Negative from');
      const newestFirst: unknown[] = [];
      for (const wtx of [...wallet.txs.values()].reverse()) {
        newestFirst.push(...wallet.entries(wtx, { long: true, label }));
        if (newestFirst.length >= count + skip) break;
      }
      return newestFirst.slice(skip, skip + count).reverse();
    },
  },
  listsinceblock: {
    args: ['blockhash', 'target_confirmations', 'include_watchonly', 'include_removed', 'include_change', 'label'],
    wallet: true,
    handler: (p, { wallet, node }) => {
      const { chain } = node;
      let forkHeight: number | undefined;
      let from = p.has(0) && p.values[0] !== '' ? chain.blocks.get(parseHash(p.values[0], 'blockhash')) : undefined;
      if (p.has(0) && p.values[0] !== '' && !from) throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, 'Block not found');
      if (from) {
        let fork = from;
        while (!chain.isActive(fork)) fork = chain.blocks.get(fork.prevHash as string) as typeof fork;
        forkHeight = fork.height;
      }
      let target = p.int(1) ?? 1;
      if (target < 1) throw new RpcError(RPC.INVALID_PARAMETER, 'Invalid parameter');
      const includeRemoved = p.bool(3) ?? true;
      const includeChange = p.bool(4) ?? false;
      const label = p.str(5);
      const depth = forkHeight === undefined ? -1 : chain.height + 1 - forkHeight;
      const transactions: unknown[] = [];
      for (const wtx of wallet.txs.values()) {
        if (depth === -1 || Math.abs(wallet.status(wtx.tx).confirmations) < depth) {
          transactions.push(...wallet.entries(wtx, { long: true, includeChange, label }));
        }
      }
      const removed: unknown[] = [];
      while (includeRemoved && from && forkHeight !== undefined && from.height > forkHeight) {
        for (const tx of from.txs) {
          const wtx = wallet.txs.get(tx.txid);
          if (wtx) removed.push(...wallet.entries(wtx, { long: true, includeChange, label, minDepth: -100_000_000 }));
        }
        from = chain.blocks.get(from.prevHash as string);
      }
      target = Math.min(target, chain.height + 1);
      return {
        transactions,
        removed: includeRemoved ? removed : undefined,
        lastblock: chain.active[chain.height + 1 - target].hash,
      };
    },
  },
  createrawtransaction: {
    args: ['inputs', 'outputs', 'locktime', 'replaceable'],
    required: 2,
    handler: (p) => rawHex(rawFromArgs(p)),
  },
  fundrawtransaction: {
    args: ['hexstring', 'options', 'iswitness'],
    required: 1,
    wallet: true,
    handler: (p, { wallet, node }) => {
      const tx = decodeHex(p.required(p.str(0), 0));
      const opts = p.obj(1) ?? {};
      const subtract = new Set(((opts.subtractFeeFromOutputs as number[] | undefined) ?? []).map(Number));
      let choice: FeeChoice = { satPerKvB: node.feeEstimate ?? FALLBACK_FEE_SAT_PER_KVB, explicit: false };
      if (opts.fee_rate !== undefined) choice = { satPerKvB: parseFixedPoint(String(opts.fee_rate), 3) ?? choice.satPerKvB, explicit: true };
      if (opts.feeRate !== undefined) choice = { satPerKvB: amountFromValue(opts.feeRate), explicit: true };
      let funded;
      try {
        funded = wallet.fund(
          {
            inputs: tx.inputs.map((i) => ({ txid: i.txid, vout: i.vout, sequence: i.sequence })),
            outputs: tx.outputs.map((o, n) => ({ script: o.script, value: o.value, subtractFee: subtract.has(n) })),
            locktime: tx.locktime,
          },
          choice,
        );
      } catch (e) {
        // Core's FundTransaction RPC helper: RPC_WALLET_ERROR with CreateTransaction's message.
        throw e instanceof CreateTransactionError ? e.asRpc(RPC.WALLET_ERROR) : e;
      }
      return { hex: rawHex({ ...funded, version: tx.version }), fee: btc(funded.fee), changepos: funded.changepos };
    },
  },
  signrawtransactionwithwallet: {
    args: ['hexstring', 'prevtxs', 'sighashtype'],
    required: 1,
    wallet: true,
    handler: (p, { wallet }) => {
      const tx = decodeHex(p.required(p.str(0), 0));
      const signed = wallet.sign(tx);
      const errors = signed.missing.map((idx) => ({
        txid: tx.inputs[idx].txid,
        vout: tx.inputs[idx].vout,
        witness: [],
        scriptSig: '',
        sequence: tx.inputs[idx].sequence,
        error: 'Input not found or already spent',
      }));
      return { hex: signed.hex, complete: signed.complete, errors: errors.length ? errors : undefined };
    },
  },
  listunspent: {
    args: ['minconf', 'maxconf', 'addresses', 'include_unsafe', 'query_options'],
    wallet: true,
    handler: (p, { wallet }) => {
      const minconf = p.int(0) ?? 1;
      const maxconf = p.int(1) ?? 9999999;
      const includeUnsafe = p.bool(3) ?? true;
      const filter = p.arr(2)?.map(String);
      return wallet
        .coins()
        .filter((c) => !(c.coinbase && c.confirmations <= 100))
        .filter((c) => c.confirmations >= minconf && c.confirmations <= maxconf && (includeUnsafe || c.trusted))
        .filter((c) => !filter || filter.includes(c.key.address))
        .map((c) => ({
          txid: c.txid,
          vout: c.vout,
          address: c.key.address,
          label: wallet.labels.get(c.key.address),
          scriptPubKey: hex.encode(c.key.script),
          amount: btc(c.value),
          confirmations: c.confirmations,
          spendable: true,
          solvable: true,
          desc: withChecksum(`${c.key.type === 'bech32' ? 'wpkh' : 'tr'}([${wallet.keychain.fingerprint}${c.key.path.slice(1).replace(/'/g, 'h')}]${hex.encode(c.key.type === 'bech32' ? c.key.publicKey : c.key.publicKey.subarray(1))})`),
          parent_descs: [wallet.keychain.parentDescriptor(c.key.type, c.key.internal)],
          safe: c.trusted,
        }));
    },
  },
};

function rawFromArgs(p: Params) {
  const inputs = p.required(p.arr(0), 0);
  const outputsArg = p.values[1];
  const locktime = p.int(2) ?? 0;
  const replaceable = p.bool(3) ?? true;
  const outputs: { script: Uint8Array; value: bigint }[] = [];
  const entries = Array.isArray(outputsArg) ? outputsArg.flatMap((o) => Object.entries(o as object)) : Object.entries((outputsArg ?? {}) as object);
  const seen = new Set<string>();
  let hasData = false;
  for (const [key, value] of entries) {
    if (key === 'data') {
      if (hasData) throw new RpcError(RPC.INVALID_PARAMETER, 'Invalid parameter, duplicate key: data');
      hasData = true;
      outputs.push({ script: nullDataScript(parseDataHex(value)), value: 0n });
      continue;
    }
    if (seen.has(key)) throw new RpcError(RPC.INVALID_PARAMETER, `Invalid parameter, duplicated address: ${key}`);
    seen.add(key);
    outputs.push({ script: destination(key), value: amountFromValue(value) });
  }
  const defaultSequence = replaceable ? 0xfffffffd : locktime ? 0xfffffffe : 0xffffffff;
  return {
    inputs: inputs.map((raw) => {
      const i = raw as { txid?: unknown; vout?: unknown; sequence?: unknown };
      const txid = parseHash(i.txid, 'txid');
      if (typeof i.vout !== 'number') throw new RpcError(RPC.INVALID_PARAMETER, 'Invalid parameter, missing vout key');
      if (i.vout < 0) throw new RpcError(RPC.INVALID_PARAMETER, 'Invalid parameter, vout cannot be negative');
      return { txid, vout: i.vout, sequence: typeof i.sequence === 'number' ? i.sequence : defaultSequence };
    }),
    outputs,
    locktime,
  };
}

/** Core's ParseHexV(outputs["data"].getValStr(), "Data"): a number's JSON text counts as its string. */
function parseDataHex(value: unknown): Uint8Array {
  const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
  if (text.length === 0 || text.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(text)) {
    throw new RpcError(RPC.INVALID_PARAMETER, `Data must be hexadecimal string (not '${text}')`);
  }
  return hex.decode(text.toLowerCase());
}

/** Core's DescribeAddressVisitor (src/rpc/util.cpp): the fields each destination kind adds. */
function describeAddress(dest: DecodedAddress): Record<string, unknown> {
  const program = dest.witnessProgram ? hex.encode(dest.witnessProgram) : undefined;
  switch (dest.kind) {
    case 'pkh':
      return { isscript: false, iswitness: false };
    case 'sh':
      return { isscript: true, iswitness: false };
    case 'wpkh':
      return { isscript: false, iswitness: true, witness_version: 0, witness_program: program };
    case 'wsh':
      return { isscript: true, iswitness: true, witness_version: 0, witness_program: program };
    case 'tr':
      return { isscript: true, iswitness: true, witness_version: 1, witness_program: program };
    case 'anchor':
      return { isscript: true, iswitness: true };
    case 'unknown':
      return { iswitness: true, witness_version: dest.witnessVersion, witness_program: program };
  }
}

export const validateAddressMethod: MethodTable = {
  validateaddress: {
    args: ['address'],
    required: 1,
    handler: (p) => {
      const address = p.required(p.str(0), 0);
      const decoded = decodeDestination(address);
      if (!decoded.ok) return { isvalid: false, error_locations: decoded.errorLocations, error: decoded.error };
      // Core answers EncodeDestination(dest): an upper-case Bech32 address comes back in lower case.
      return { isvalid: true, address: scriptToAddress(decoded.dest.script) ?? address, scriptPubKey: hex.encode(decoded.dest.script), ...describeAddress(decoded.dest) };
    },
  },
};
