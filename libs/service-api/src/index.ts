export * from './user/user.contracts';
export * from './user/user.api';
export * from './events/event-contract';
export * from './wallet/wallet.contracts';
export * from './wallet/wallet.api';
export * from './wallet/wallet.events';
export * from './giftcard/giftcard.events';
