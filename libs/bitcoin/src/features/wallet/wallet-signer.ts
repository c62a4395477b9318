import { Inject, Injectable, Logger } from '@nestjs/common';
import { BITCOIN_MODULE_OPTIONS, type BitcoinModuleOptions } from '../../bitcoin-module.options';
import { BitcoinRpcClient } from '../node/bitcoin-rpc.client';
import type { DecodedTransaction } from '../node/rpc-schemas';

/** walletpassphrase's timeout: the wallet locks itself even if `walletlock` never arrives (a crash mid-signing). */
export const UNLOCK_SECONDS = 10;

/**
 * Signs with the wallet's keys. An encrypted wallet is unlocked for the signing call only (walletpassphrase with a
 * short timeout, walletlock right after), so the keys are usable for seconds, not for the life of the process.
 * Callers sign under the withdrawal sender's lock, so two signing windows never overlap.
 */
@Injectable()
export class WalletSigner {
  private readonly logger = new Logger('WalletSigner');
  private readonly passphrase: string | undefined;

  constructor(
    private readonly rpc: BitcoinRpcClient,
    @Inject(BITCOIN_MODULE_OPTIONS) options: BitcoinModuleOptions,
  ) {
    this.passphrase = options.wallet?.passphrase;
  }

  /** Signs every input and decodes the result; throws unless the transaction is complete. */
  async sign(unsignedHex: string): Promise<{ hex: string; decoded: DecodedTransaction }> {
    const signed = await this.unlocked(() => this.rpc.signRawTransactionWithWallet(unsignedHex));
    if (!signed.complete) {
      const problems = (signed.errors ?? []).map((e) => `${e.txid}:${e.vout} ${e.error}`).join('; ');
      throw new Error(`the wallet could not sign every input: ${problems || 'incomplete'}`);
    }
    return { hex: signed.hex, decoded: await this.rpc.decodeRawTransaction(signed.hex) };
  }

  private async unlocked<T>(work: () => Promise<T>): Promise<T> {
    if (this.passphrase === undefined) return work();
    await this.rpc.walletPassphrase(this.passphrase, UNLOCK_SECONDS);
    try {
      return await work();
    } finally {
      await this.rpc.walletLock().catch((error: Error) => this.logger.warn(`walletlock failed (the wallet locks itself within ${UNLOCK_SECONDS} s): ${error.message}`));
    }
  }
}
