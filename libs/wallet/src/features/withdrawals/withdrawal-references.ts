/** The ledger references of a withdrawal: its hold (amount + max fee), and the settle and release that close it. */
export const withdrawalReferences = (withdrawalId: string) => ({
  hold: `withdrawal:${withdrawalId}:hold`,
  settle: `withdrawal:${withdrawalId}:settle`,
  release: `withdrawal:${withdrawalId}:release`,
});
