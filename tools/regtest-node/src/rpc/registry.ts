import type { RegtestNode } from '../node';
import type { Wallet } from '../wallet';
import { RpcError, RPC } from './errors';
import { Params, toPositional } from './params';

export interface CallContext {
  node: RegtestNode;
  /** The wallet name from a /wallet/<name> URI, or null on "/". */
  walletName: string | null;
}

export interface MethodDef {
  /** Argument names in Core's order (from the RPC help). */
  args: readonly string[];
  required?: number;
  wallet?: boolean;
  handler: (p: Params, ctx: CallContext & { wallet: Wallet }) => unknown;
}

export type MethodTable = Record<string, MethodDef>;

/** Core's GetWalletForJSONRPCRequest. */
export function resolveWallet(ctx: CallContext): Wallet {
  const { wallets } = ctx.node;
  if (ctx.walletName !== null) {
    const wallet = wallets.get(ctx.walletName);
    if (!wallet) throw new RpcError(RPC.WALLET_NOT_FOUND, 'Requested wallet does not exist or is not loaded');
    return wallet;
  }
  if (wallets.size === 1) return [...wallets.values()][0];
  if (wallets.size === 0) {
    throw new RpcError(
      RPC.WALLET_NOT_FOUND,
      'No wallet is loaded. Load a wallet using loadwallet or create a new one with createwallet. (Note: A default wallet is no longer automatically created)',
    );
  }
  throw new RpcError(RPC.WALLET_NOT_SPECIFIED, 'Wallet file not specified (must request wallet RPC through /wallet/<filename> uri-path).');
}

export function execute(table: MethodTable, method: string, rawParams: unknown, ctx: CallContext): unknown {
  const def = Object.prototype.hasOwnProperty.call(table, method) ? table[method] : undefined;
  if (!def) throw new RpcError(RPC.METHOD_NOT_FOUND, 'Method not found');
  const values = toPositional(rawParams, def.args);
  const given = values.length;
  if (given > def.args.length || values.slice(0, def.required ?? 0).some((v) => v === undefined || v === null) || given < (def.required ?? 0)) {
    // Core answers a wrong argument count with the method's help text as a -1 error.
    throw new RpcError(RPC.MISC_ERROR, `${method} ${def.args.join(' ')}`.trim());
  }
  const wallet = def.wallet ? resolveWallet(ctx) : (undefined as unknown as Wallet);
  return def.handler(new Params(values, def.args), { ...ctx, wallet });
}
