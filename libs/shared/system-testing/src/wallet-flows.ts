import { type paths, toSats, unwrap } from '@bitro/client';
import { expect } from 'vitest';
import { eventually } from './processes';
import { DEPOSIT_CONFIRMATIONS, OUTSIDE_WALLET, type System, type User } from './system';

export type DepositView = paths['/v1/wallet/deposits']['get']['responses'][200]['content']['application/json']['items'][number];
export type WithdrawalView = paths['/v1/wallet/withdrawals/{id}']['get']['responses'][200]['content']['application/json'];

export async function depositAddress(_system: System, user: User): Promise<string> {
  const { data, error, response } = await user.client.POST('/v1/wallet/deposit-address');
  expect(response.status, JSON.stringify(error)).toBe(200);
  return (data as NonNullable<typeof data>).address;
}

export async function depositOf(_system: System, user: User, txid: string): Promise<DepositView | undefined> {
  const { items } = await unwrap(user.client.GET('/v1/wallet/deposits'));
  return items.find((deposit) => deposit.txid === txid);
}

export function depositReaches(system: System, user: User, txid: string, status: DepositView['status'], timeoutMs?: number): Promise<DepositView> {
  return eventually(
    async () => {
      const deposit = await depositOf(system, user, txid);
      return deposit?.status === status ? deposit : undefined;
    },
    () => `deposit ${txid} never became ${status}\n${system.logs()}`,
    timeoutMs,
  );
}

/** A user whose deposit of `sats` is confirmed and credited. */
export async function fundedUser(system: System, sats: bigint): Promise<User> {
  const user = await system.signup();
  const txid = await system.send(await depositAddress(system, user), sats);
  await depositReaches(system, user, txid, 'detected');
  await system.mine(DEPOSIT_CONFIRMATIONS);
  await depositReaches(system, user, txid, 'confirmed');
  await eventually(async () => (await system.balance(user)).availableSats === sats, () => `balance never reached ${sats}\n${system.logs()}`);
  return user;
}

/** `maxFeeSats`: the user's fee ceiling (default: the API's, twice the estimate). The client sends the Idempotency-Key. */
export async function requestWithdrawal(system: System, user: User, amountSats: bigint, maxFeeSats?: bigint): Promise<{ withdrawal: WithdrawalView; address: string }> {
  const address = await system.rpc<string>('getnewaddress', [], OUTSIDE_WALLET);
  const { data, error, response } = await user.client.POST('/v1/wallet/withdrawals', {
    body: { address, amountSats: toSats(amountSats), ...(maxFeeSats === undefined ? {} : { maxFeeSats: toSats(maxFeeSats) }) },
  });
  expect(response.status, JSON.stringify(error)).toBe(202);
  return { withdrawal: data as WithdrawalView, address };
}

export function withdrawalReaches(system: System, user: User, id: string, status: WithdrawalView['status'], timeoutMs?: number): Promise<WithdrawalView> {
  return eventually(
    async () => {
      const withdrawal = await unwrap(user.client.GET('/v1/wallet/withdrawals/{id}', { params: { path: { id } } }));
      return withdrawal.status === status ? withdrawal : undefined;
    },
    () => `withdrawal ${id} never became ${status}\n${system.logs()}`,
    timeoutMs,
  );
}

/** The ledger invariant (journals balance, cached balances match, nothing negative), checked by the operator command. */
export function expectLedgerOk(system: System): void {
  const { code, output } = system.command('ledger:verify');
  expect(code, output).toBe(0);
}

/** The distinct transactions (in a block or the mempool, not conflicted) that paid `address`: one, when nothing was sent twice. */
export async function paymentsTo(system: System, address: string): Promise<string[]> {
  const entries = await system.rpc<Array<{ address?: string; category: string; confirmations: number; txid: string }>>(
    'listtransactions',
    ['*', 1000, 0, true],
    OUTSIDE_WALLET,
  );
  return [...new Set(entries.filter((e) => e.address === address && e.category === 'receive' && e.confirmations >= 0).map((e) => e.txid))];
}
