import { Injectable } from '@nestjs/common';
import { MetricsCollector } from '@bitro/metrics';
import { BitcoinRpcClient } from '../node/bitcoin-rpc.client';
import { walletTotal } from '../reserves/reserve-figures';

/** What the gateway's wallet holds, as the reserves check counts it (getbalances.mine: trusted + pending + immature). */
@Injectable()
export class WalletCollector extends MetricsCollector {
  readonly name = 'the wallet';
  private readonly balance = this.gauge({
    name: 'bitro_gateway_wallet_balance_sats',
    help: "The gateway wallet's balance in satoshis (getbalances.mine: trusted + untrusted_pending + immature).",
  });

  constructor(private readonly rpc: BitcoinRpcClient) {
    super();
  }

  async collect(): Promise<void> {
    const { mine } = await this.rpc.getBalances();
    this.balance.set(Number(walletTotal({ trusted: mine.trusted, untrustedPending: mine.untrusted_pending, immature: mine.immature, locked: null })));
  }
}
