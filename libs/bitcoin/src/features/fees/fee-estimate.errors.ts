/** Core has no fee estimate and the configured policy is to send nothing new until it has one. */
export class FeeEstimateUnavailableError extends Error {
  override readonly name = 'FeeEstimateUnavailableError';

  constructor(readonly detail: string) {
    super(`no fee estimate: ${detail}`);
  }
}
