import type { RegtestNode } from '../node';
import type { Wallet } from '../wallet';
import { RpcError, RPC } from './errors';
import { CORE_HELP } from './core-help.generated';
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

/** Arguments Core declares with skip_type_check (they also accept a boolean). */
const SKIP_TYPE_CHECK = new Set(['getblock.verbosity', 'getrawtransaction.verbosity']);

const uvTypeName = (v: unknown): string =>
  v === null || v === undefined ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'boolean' ? 'bool' : typeof v === 'object' ? 'object' : typeof v;

/**
 * RPCHelpMan::HandleRequest (src/rpc/util.cpp): a wrong argument count answers the method's full help text as -1;
 * then every argument of the wrong JSON type (a required one given as null included) is listed in one -3.
 */
function checkArguments(method: string, def: MethodDef, values: unknown[]): void {
  const core = CORE_HELP[method];
  if (!core) {
    const required = def.required ?? 0;
    if (values.length > def.args.length || values.length < required || values.slice(0, required).some((v) => v === undefined || v === null)) {
      throw new RpcError(RPC.MISC_ERROR, `${method} ${def.args.join(' ')}`.trim());
    }
    return;
  }
  const required = core.args.reduce((n, arg, i) => (arg.required ? i + 1 : n), 0);
  if (values.length < required || values.length > core.args.length) throw new RpcError(RPC.MISC_ERROR, core.help);
  const mismatches: string[] = [];
  core.args.forEach((arg, i) => {
    const value = values[i];
    if (arg.type === null || SKIP_TYPE_CHECK.has(`${method}.${arg.names}`)) return;
    if (!arg.required && (value === undefined || value === null)) return;
    const type = uvTypeName(value);
    if (type !== arg.type) mismatches.push(`    "Position ${i + 1} (${arg.names})": "JSON value of type ${type} is not of expected type ${arg.type}"`);
  });
  if (mismatches.length > 0) throw new RpcError(RPC.TYPE_ERROR, `Wrong type passed:\n{\n${mismatches.join(',\n')}\n}`);
}

export function execute(table: MethodTable, method: string, rawParams: unknown, ctx: CallContext): unknown {
  const def = Object.prototype.hasOwnProperty.call(table, method) ? table[method] : undefined;
  if (!def) throw new RpcError(RPC.METHOD_NOT_FOUND, 'Method not found');
  const values = toPositional(rawParams, def.args);
  checkArguments(method, def, values);
  const wallet = def.wallet ? resolveWallet(ctx) : (undefined as unknown as Wallet);
  return def.handler(new Params(values, def.args), { ...ctx, wallet });
}
