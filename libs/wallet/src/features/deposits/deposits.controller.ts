import { Controller, Inject, Query } from '@nestjs/common';
import { type AccessClaims, emailNotVerified, Principal } from '@bitro/auth';
import { issueDepositAddressRoute } from '@bitro/gateway-contract';
import { accountNotActive, type QueryOf, Route } from '@bitro/http';
import { EmailNotVerifiedError, USER_API, type UserApi, UserNotActiveError } from '@bitro/service-api';
import { WalletGateway } from '../gateway/wallet-gateway';
import { DepositHistory } from './deposit-history';
import { depositAddressRoute, type DepositAddressView, type DepositView, listDepositsRoute } from './deposits.contracts';

/** The user's deposit address (issued by bitcoin-gateway) and deposits. */
@Controller()
export class DepositsController {
  constructor(
    private readonly gateway: WalletGateway,
    private readonly deposits: DepositHistory,
    @Inject(USER_API) private readonly users: UserApi,
  ) {}

  @Route(depositAddressRoute)
  async address(@Principal() principal: AccessClaims): Promise<DepositAddressView> {
    await this.users.assertVerified(principal.sub).catch((error: unknown) => {
      if (error instanceof EmailNotVerifiedError) throw emailNotVerified();
      throw error instanceof UserNotActiveError ? accountNotActive(error.reason) : error;
    });
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
