export * from './user/user.contracts';
export * from './user/user.api';
