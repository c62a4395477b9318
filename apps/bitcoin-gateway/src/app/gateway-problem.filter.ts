import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import { BitcoinRpcAuthError, BitcoinRpcError, BitcoinRpcTransportError, FeeEstimateUnavailableError } from '@bitro/bitcoin';
import { ProblemException, ProblemFilter } from '@bitro/http';

/** {@link ProblemFilter}, plus: the node being unreachable or warming up, or without a fee estimate, answers 503 instead of a bare 500. */
@Catch()
export class GatewayProblemFilter implements ExceptionFilter {
  private readonly problems = new ProblemFilter();

  catch(error: unknown, host: ArgumentsHost): void {
    this.problems.catch(nodeUnavailable(error) ?? error, host);
  }
}

function nodeUnavailable(error: unknown): ProblemException | undefined {
  const unavailable = (detail: string) =>
    new ProblemException(503, 'bitcoin-node-unavailable', `The Bitcoin node cannot answer now: ${detail}`, { headers: { 'retry-after': '5' } });
  if (error instanceof FeeEstimateUnavailableError) {
    // FEE_NO_ESTIMATE_POLICY=refuse: nothing is priced or sent without an estimate (bitro-api answers new withdrawals 503).
    return new ProblemException(503, 'fee-estimate-unavailable', `The Bitcoin node has no fee estimate, so no new withdrawal can be priced: ${error.detail}`, {
      headers: { 'retry-after': '60' },
    });
  }
  if (error instanceof BitcoinRpcTransportError) return unavailable(error.failure);
  if (error instanceof BitcoinRpcError && error.kind === 'in-warmup') return unavailable('warming up');
  // Wrong credentials are our misconfiguration, not the caller's; reported without details.
  if (error instanceof BitcoinRpcAuthError) return unavailable('the node refused the gateway\'s credentials');
  return undefined;
}
