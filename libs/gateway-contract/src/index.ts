export * from './primitives';
export * from './queues';
export * from './messages';
export * from './internal-routes';
export * from './request-signing';
export * from './gateway-client';
