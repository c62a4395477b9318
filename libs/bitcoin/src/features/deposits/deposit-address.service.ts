import { Inject, Injectable } from '@nestjs/common';
import type { AddressType, BitcoinNetwork } from '@bitro/gateway-contract';
import { AddressValidator } from '../addresses/address-validator';
import { BITCOIN_MODULE_OPTIONS, type BitcoinModuleOptions } from '../../bitcoin-module.options';
import { BitcoinPrisma, type DepositAddress } from '../../persistence/bitcoin-prisma';
import { BitcoinRpcClient } from '../node/bitcoin-rpc.client';

export interface IssuedDepositAddress {
  userId: string;
  address: string;
  type: AddressType;
  network: BitcoinNetwork;
}

/** Beyond the RPC timeout: the transaction holds the user's lock while Core derives the address. */
const TRANSACTION_MARGIN_MS = 5_000;

/**
 * Deposit addresses of users. Idempotent per user: the newest address without a deposit (`used_at` null) is
 * returned again; only once a deposit scan has marked it used does the user get a new one from Core.
 */
@Injectable()
export class DepositAddressService {
  constructor(
    private readonly prisma: BitcoinPrisma,
    private readonly rpc: BitcoinRpcClient,
    private readonly validator: AddressValidator,
    @Inject(BITCOIN_MODULE_OPTIONS) private readonly options: BitcoinModuleOptions,
  ) {}

  async issue(userId: string): Promise<IssuedDepositAddress> {
    const network = this.options.network;
    const row = await this.prisma.$transaction(
      async (tx) => {
        // Serialises concurrent requests of one user, so a retry racing the first call cannot mint a second address.
        await tx.$queryRaw`SELECT 1 FROM pg_advisory_xact_lock(hashtextextended(${`gateway.deposit-address:${userId}`}, 0))`;
        const unused = await tx.depositAddress.findFirst({
          where: { userId, network, usedAt: null },
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        });
        if (unused) return unused;
        const address = await this.rpc.getNewAddress({ label: 'deposit', addressType: 'bech32' });
        const validation = this.validator.validate(address);
        if (!validation.valid) {
          throw new Error(`getnewaddress returned "${address}", which is not valid on ${network}: ${validation.message} (is the node on another chain?)`);
        }
        return tx.depositAddress.create({ data: { userId, address, network, type: validation.type } });
      },
      { maxWait: 5_000, timeout: (this.options.rpc.timeoutMs ?? 30_000) + TRANSACTION_MARGIN_MS },
    );
    return toIssued(row);
  }
}

function toIssued(row: DepositAddress): IssuedDepositAddress {
  return { userId: row.userId, address: row.address, type: row.type as AddressType, network: row.network as BitcoinNetwork };
}
