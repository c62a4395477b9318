import { ProblemException } from '@bitro/http';
import type { WalletTx } from '../../persistence/wallet-prisma';

/** Satoshis the user's withdrawals of the current Asia/Seoul day add up to, failed and rejected ones not counted. */
export async function withdrawnToday(tx: WalletTx, userId: string): Promise<bigint> {
  const [row] = await tx.$queryRaw<Array<{ used: bigint }>>`
    SELECT COALESCE(SUM(amount_sats), 0)::bigint AS used FROM "wallet"."withdrawals"
    WHERE user_id = ${userId}::uuid AND status NOT IN ('failed', 'rejected')
      AND created_at >= date_trunc('day', now() AT TIME ZONE 'Asia/Seoul') AT TIME ZONE 'Asia/Seoul'`;
  return row?.used ?? 0n;
}

export function dailyLimitProblem(usedSats: bigint, limitSats: bigint): ProblemException {
  const remaining = usedSats < limitSats ? limitSats - usedSats : 0n;
  const detail = `You can withdraw ${remaining} more sats today: the limit is ${limitSats} sats per day (Asia/Seoul), of which ${usedSats} are used.`;
  return new ProblemException(422, 'daily-limit-exceeded', detail, {
    errors: [{ in: 'body', pointer: '/amountSats', message: `must be at most ${remaining} today` }],
  });
}
