import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { eventually } from './processes';
import { DEPOSIT_CONFIRMATIONS, OUTSIDE_WALLET, type System, type User } from './system';

export interface DepositView {
  txid: string;
  vout: number;
  amountSats: string;
  status: 'detected' | 'confirmed' | 'reversed';
}

export interface WithdrawalView {
  id: string;
  status: 'awaiting-approval' | 'requested' | 'broadcast' | 'confirmed' | 'failed' | 'rejected';
  txid: string | null;
  amountSats: string;
  maxFeeSats: string;
  feeSats: string | null;
  failureReason: string | null;
  rejectionReason: string | null;
}

export async function depositAddress(system: System, user: User): Promise<string> {
  const response = await system.request<{ address: string }>('POST', '/v1/wallet/deposit-address', { token: user.token });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.address;
}

export async function depositOf(system: System, user: User, txid: string): Promise<DepositView | undefined> {
  const { body } = await system.request<{ items: DepositView[] }>('GET', '/v1/wallet/deposits', { token: user.token });
  return body.items.find((deposit) => deposit.txid === txid);
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

/** `maxFeeSats`: the user's fee ceiling (default: the API's, twice the estimate). */
export async function requestWithdrawal(system: System, user: User, amountSats: bigint, maxFeeSats?: bigint): Promise<{ withdrawal: WithdrawalView; address: string }> {
  const address = await system.rpc<string>('getnewaddress', [], OUTSIDE_WALLET);
  const response = await system.request<WithdrawalView>('POST', '/v1/wallet/withdrawals', {
    token: user.token,
    headers: { 'idempotency-key': randomUUID() },
    body: { address, amountSats: amountSats.toString(), maxFeeSats: maxFeeSats?.toString() },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(202);
  return { withdrawal: response.body, address };
}

export function withdrawalReaches(system: System, user: User, id: string, status: WithdrawalView['status'], timeoutMs?: number): Promise<WithdrawalView> {
  return eventually(
    async () => {
      const { body } = await system.request<WithdrawalView>('GET', `/v1/wallet/withdrawals/${id}`, { token: user.token });
      return body.status === status ? body : undefined;
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
