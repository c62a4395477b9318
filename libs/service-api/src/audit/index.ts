export * from './audit.api';
export * from './audit.events';
