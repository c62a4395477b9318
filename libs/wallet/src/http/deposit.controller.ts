import { Controller, Query } from '@nestjs/common';
import { type AccessClaims, Principal } from '@bitro/auth';
import { issueDepositAddressRoute } from '@bitro/gateway-contract';
import { type QueryOf, Route } from '@bitro/http';
import { DepositHistory } from '../deposits/deposit-history';
import { WalletGateway } from '../gateway/wallet-gateway';
import { depositAddressRoute, type DepositAddressView, type DepositView, listDepositsRoute } from './deposit.contracts';

@Controller()
export class DepositController {
  constructor(
    private readonly gateway: WalletGateway,
    private readonly deposits: DepositHistory,
  ) {}

  @Route(depositAddressRoute)
  async address(@Principal() principal: AccessClaims): Promise<DepositAddressView> {
    const issued = await this.gateway.call(issueDepositAddressRoute, { userId: principal.sub });
    // Never hand a user an address the gateway credits to someone else.
    if (issued.userId.toLowerCase() !== principal.sub.toLowerCase()) throw new Error(`bitcoin-gateway answered an address of user ${issued.userId} for ${principal.sub}`);
    return { address: issued.address, type: issued.type, network: issued.network };
  }

  @Route(listDepositsRoute)
  list(@Principal() principal: AccessClaims, @Query() query: QueryOf<typeof listDepositsRoute>): Promise<{ items: DepositView[]; nextCursor: string | null }> {
    return this.deposits.list(principal.sub, query);
  }
}
