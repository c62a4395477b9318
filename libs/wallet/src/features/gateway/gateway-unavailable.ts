import { type ProblemContract, ProblemException } from '@bitro/http';

const RETRY_AFTER_SECONDS = '5';

/** How the wallet's routes that call bitcoin-gateway document its 503. */
export const gatewayUnavailableProblem: ProblemContract = {
  types: ['gateway-unavailable'],
  description: 'The Bitcoin service cannot answer right now; retry after Retry-After seconds.',
};

/** 503 `gateway-unavailable` with Retry-After: whatever went wrong between bitro-api and bitcoin-gateway, nothing was changed. */
export const gatewayUnavailable = (): ProblemException =>
  new ProblemException(503, 'gateway-unavailable', 'The Bitcoin service cannot answer right now; nothing was changed. Try again shortly.', {
    headers: { 'retry-after': RETRY_AFTER_SECONDS },
  });
