import { z } from 'zod';
import { btcToSats } from './amount';
import { JsonNumber } from './lossless-json';

/*
 * Result schemas of the RPCs the gateway uses (Bitcoin Core 29.0 help texts). Responses are parsed with
 * parseLosslessJson, so every number arrives as a JsonNumber: `sats` turns a BTC amount into exact bigint
 * satoshis, `int` a count/height into a safe integer. Unknown fields are dropped (z.object strips).
 */

const jsonNumber = z.custom<JsonNumber>((value) => value instanceof JsonNumber, 'expected a number');

/** A BTC amount → bigint satoshis (exact; more than 8 decimals is an error). */
export const sats = jsonNumber.transform((n, ctx) => {
  try {
    return btcToSats(n.raw);
  } catch (error) {
    ctx.issues.push({ code: 'custom', message: (error as Error).message, input: n.raw });
    return z.NEVER;
  }
});

export const int = jsonNumber.transform((n, ctx) => {
  const value = Number(n.raw);
  if (!/^-?[0-9]+$/.test(n.raw) || !Number.isSafeInteger(value)) {
    ctx.issues.push({ code: 'custom', message: `expected an integer, got ${n.raw}`, input: n.raw });
    return z.NEVER;
  }
  return value;
});

/** A non-monetary real number (difficulty, progress): a double is fine here. */
export const real = jsonNumber.transform((n) => Number(n.raw));

export const hex = z.string().regex(/^[0-9a-f]*$/, 'expected lower-case hex');
export const hash = z.string().regex(/^[0-9a-f]{64}$/, 'expected a 32-byte hash in hex');

const lastProcessedBlock = z.object({ hash, height: int });

export const blockchainInfoSchema = z.object({
  chain: z.string(),
  blocks: int,
  headers: int,
  bestblockhash: hash,
  difficulty: real,
  time: int,
  mediantime: int,
  verificationprogress: real,
  initialblockdownload: z.boolean(),
  chainwork: hex,
  size_on_disk: int,
  pruned: z.boolean(),
  warnings: z.union([z.array(z.string()), z.string()]),
});
export type BlockchainInfo = z.output<typeof blockchainInfoSchema>;

export const blockSchema = z.object({
  hash,
  confirmations: int,
  height: int,
  version: int,
  merkleroot: hash,
  time: int,
  mediantime: int,
  nonce: int,
  bits: hex,
  difficulty: real,
  chainwork: hex,
  nTx: int,
  previousblockhash: hash.optional(),
  nextblockhash: hash.optional(),
  tx: z.array(hash),
});
export type Block = z.output<typeof blockSchema>;

export const addressInfoSchema = z.object({
  address: z.string(),
  scriptPubKey: hex,
  ismine: z.boolean(),
  iswatchonly: z.boolean(),
  solvable: z.boolean(),
  desc: z.string().optional(),
  parent_desc: z.string().optional(),
  isscript: z.boolean().optional(),
  ischange: z.boolean(),
  iswitness: z.boolean(),
  witness_version: int.optional(),
  witness_program: hex.optional(),
  pubkey: hex.optional(),
  iscompressed: z.boolean().optional(),
  timestamp: int.optional(),
  hdkeypath: z.string().optional(),
  hdmasterfingerprint: hex.optional(),
  labels: z.array(z.string()),
});
export type AddressInfo = z.output<typeof addressInfoSchema>;

export const validateAddressSchema = z.object({
  isvalid: z.boolean(),
  address: z.string().optional(),
  scriptPubKey: hex.optional(),
  isscript: z.boolean().optional(),
  iswitness: z.boolean().optional(),
  witness_version: int.optional(),
  witness_program: hex.optional(),
  error: z.string().optional(),
  error_locations: z.array(int).optional(),
});
export type ValidateAddressResult = z.output<typeof validateAddressSchema>;

const walletTxFields = {
  /** Signed: negative for the 'send' category. */
  amount: sats,
  /** Negative, 'send' only. */
  fee: sats.optional(),
  /** Negative when the transaction conflicts with one that many blocks deep. */
  confirmations: int,
  generated: z.boolean().optional(),
  trusted: z.boolean().optional(),
  blockhash: hash.optional(),
  blockheight: int.optional(),
  blockindex: int.optional(),
  blocktime: int.optional(),
  txid: hash,
  wtxid: hash.optional(),
  walletconflicts: z.array(hash),
  replaced_by_txid: hash.optional(),
  replaces_txid: hash.optional(),
  time: int,
  timereceived: int,
  'bip125-replaceable': z.enum(['yes', 'no', 'unknown']),
};

export const txCategory = z.enum(['send', 'receive', 'generate', 'immature', 'orphan']);

export const walletTxEntrySchema = z.object({
  ...walletTxFields,
  address: z.string().optional(),
  category: txCategory,
  vout: int,
  abandoned: z.boolean().optional(),
  label: z.string().optional(),
});
export type WalletTxEntry = z.output<typeof walletTxEntrySchema>;

export const listSinceBlockSchema = z.object({
  transactions: z.array(walletTxEntrySchema),
  removed: z.array(walletTxEntrySchema).optional(),
  lastblock: hash,
});
export type ListSinceBlockResult = z.output<typeof listSinceBlockSchema>;

export const transactionSchema = z.object({
  ...walletTxFields,
  details: z.array(
    z.object({
      address: z.string().optional(),
      category: txCategory,
      amount: sats,
      label: z.string().optional(),
      vout: int,
      fee: sats.optional(),
      abandoned: z.boolean().optional(),
    }),
  ),
  hex,
  lastprocessedblock: lastProcessedBlock.optional(),
});
export type WalletTransaction = z.output<typeof transactionSchema>;

export const smartFeeSchema = z
  .object({
    feerate: sats.optional(),
    errors: z.array(z.string()).optional(),
    blocks: int,
  })
  .transform(({ feerate, errors, blocks }) => ({ feeRateSatPerKvB: feerate, errors: errors ?? [], blocks }));
export type SmartFeeEstimate = z.output<typeof smartFeeSchema>;

const balanceSet = z.object({ trusted: sats, untrusted_pending: sats, immature: sats, used: sats.optional() });
export const balancesSchema = z.object({
  mine: balanceSet,
  watchonly: balanceSet.optional(),
  lastprocessedblock: lastProcessedBlock.optional(),
});
export type Balances = z.output<typeof balancesSchema>;

export const walletInfoSchema = z.object({
  walletname: z.string(),
  walletversion: int,
  format: z.string(),
  txcount: int,
  keypoolsize: int,
  keypoolsize_hd_internal: int.optional(),
  /** Unix time until which an encrypted wallet stays unlocked (0 = locked); absent if not encrypted. */
  unlocked_until: int.optional(),
  paytxfee: sats,
  private_keys_enabled: z.boolean(),
  avoid_reuse: z.boolean(),
  scanning: z.union([z.literal(false), z.object({ duration: int, progress: real })]),
  descriptors: z.boolean(),
  external_signer: z.boolean().optional(),
  blank: z.boolean().optional(),
  birthtime: int.optional(),
  lastprocessedblock: lastProcessedBlock.optional(),
});
export type WalletInfo = z.output<typeof walletInfoSchema>;

export const fundedPsbtSchema = z.object({ psbt: z.string(), fee: sats, changepos: int });
export type FundedPsbt = z.output<typeof fundedPsbtSchema>;

export const processedPsbtSchema = z.object({ psbt: z.string(), complete: z.boolean(), hex: hex.optional() });
export type ProcessedPsbt = z.output<typeof processedPsbtSchema>;

export const finalizedPsbtSchema = z.object({ psbt: z.string().optional(), hex: hex.optional(), complete: z.boolean() });
export type FinalizedPsbt = z.output<typeof finalizedPsbtSchema>;

export const bumpFeeSchema = z.object({ txid: hash, origfee: sats, fee: sats, errors: z.array(z.string()) });
export type BumpFeeResult = z.output<typeof bumpFeeSchema>;

export const nullSchema = z.null();

/** createrawtransaction → fundrawtransaction → signrawtransactionwithwallet → decoderawtransaction, the withdrawal path. */
export const fundedRawTransactionSchema = z.object({ hex, fee: sats, changepos: int });
export type FundedRawTransaction = z.output<typeof fundedRawTransactionSchema>;

export const signedRawTransactionSchema = z.object({
  hex,
  complete: z.boolean(),
  errors: z
    .array(z.object({ txid: hash, vout: int, witness: z.array(hex).optional(), scriptSig: hex, sequence: int, error: z.string() }))
    .optional(),
});
export type SignedRawTransaction = z.output<typeof signedRawTransactionSchema>;

export const decodedTransactionSchema = z.object({
  txid: hash,
  hash,
  size: int,
  vsize: int,
  weight: int,
  version: int,
  locktime: int,
  vin: z.array(
    z.object({
      /** Absent on a coinbase input, which has `coinbase` instead. */
      txid: hash.optional(),
      vout: int.optional(),
      coinbase: hex.optional(),
      txinwitness: z.array(hex).optional(),
      sequence: int,
    }),
  ),
  vout: z.array(
    z.object({
      value: sats,
      n: int,
      scriptPubKey: z.object({ asm: z.string(), desc: z.string().optional(), hex, address: z.string().optional(), type: z.string() }),
    }),
  ),
});
export type DecodedTransaction = z.output<typeof decodedTransactionSchema>;

export const mempoolEntrySchema = z.object({
  vsize: int,
  weight: int,
  time: int,
  height: int,
  descendantcount: int,
  descendantsize: int,
  ancestorcount: int,
  ancestorsize: int,
  wtxid: hash,
  fees: z.object({ base: sats, modified: sats, ancestor: sats, descendant: sats }),
  depends: z.array(hash),
  spentby: z.array(hash),
  'bip125-replaceable': z.boolean().optional(),
  unbroadcast: z.boolean().optional(),
});
export type MempoolEntry = z.output<typeof mempoolEntrySchema>;

export const txOutSchema = z.object({
  bestblock: hash,
  confirmations: int,
  value: sats,
  coinbase: z.boolean(),
});
export type TxOut = z.output<typeof txOutSchema>;
