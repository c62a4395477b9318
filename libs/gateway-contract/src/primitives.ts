import { z } from 'zod';
import { amountString, positiveAmountString } from '@bitro/service-api';

/** Satoshis as a JSON decimal string (never a float). */
export const satsString = amountString;
export const positiveSatsString = positiveAmountString;

/** A fee rate in sat/vB as Core takes it: a decimal string with at most 3 decimals (exact in sat/kvB), above 0. */
export const feeRateSatPerVb = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,8})(\.[0-9]{1,3})?$/, 'must be a decimal number of sat/vB with at most 3 decimals')
  // Refinements run even after the pattern failed: only a number is compared with 0.
  .refine((rate) => !/^[0-9.]+$/.test(rate) || /[1-9]/.test(rate), 'must be above 0');

/** A transaction id as Bitcoin Core prints it: 64 lower-case hex characters. */
export const txid = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex characters');
export const blockHash = txid;

/** An output index within a transaction. */
export const vout = z.int().min(0).max(0xffff_ffff);

/** A Bitcoin address as typed by a user or issued by the gateway (validated by the gateway, not here). */
export const bitcoinAddress = z.string().min(14).max(90);

export const confirmations = z.int().min(0);
export const blockHeight = z.int().min(0);

/** Bitcoin Core's chain names (`getblockchaininfo.chain`). */
export const bitcoinNetwork = z.enum(['main', 'test', 'testnet4', 'signet', 'regtest']);
export type BitcoinNetwork = z.infer<typeof bitcoinNetwork>;

export const addressType = z.enum(['p2pkh', 'p2sh', 'p2wpkh', 'p2wsh', 'p2tr', 'witness_unknown']);
export type AddressType = z.infer<typeof addressType>;
