export * from './reconciliation.contracts';
export * from './reconciliation.api';
