/** The regtest node's wallets under `npm start`: the gateway's, and one standing for the outside world. */
export const REGTEST_WALLETS = { gateway: 'bitro', outside: 'outside' };
