import { GIFTCARD_RECONCILIATION_API, type GiftcardReconciliationApi, type ReconciledRedemption, walletCreditedV1 } from '@bitro/service-api';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxValidPin } from '../src/features/redemptions/issuer/sandbox-issuer.adapter';
import { type GiftcardModuleTest, startGiftcardModule } from './giftcard-module-test';

let giftcard: GiftcardModuleTest;
let reconciliation: GiftcardReconciliationApi;
let pins = 0;

beforeAll(async () => {
  giftcard = await startGiftcardModule();
  reconciliation = giftcard.mod.get(GIFTCARD_RECONCILIATION_API);
});
afterAll(() => giftcard?.close());

/** A redemption of a new user, approved (`verified`) by the sandbox issuer: 10,000 KRW less cultureland's 8 % fee, 6,571 sats. */
async function approved(): Promise<{ id: string; userId: string }> {
  const { userId, token } = giftcard.newUser();
  const answer = await giftcard.redeem<{ id: string; state: string }>(token, { brand: 'cultureland', pin: sandboxValidPin(810_000 + pins++) });
  expect(answer.body.state).toBe('verified');
  return { id: answer.body.id, userId };
}

/** The wallet's `wallet.credited.v1` for it, handled as the consumer does: the redemption becomes `credited`. */
async function credit(redemption: { id: string; userId: string }): Promise<string> {
  const journalId = randomUUID();
  await giftcard.mod.deliver(walletCreditedV1, { journalId, userId: redemption.userId, amountSats: '6571', reference: `redemption:${redemption.id}`, redemptionId: redemption.id });
  return journalId;
}

const ids = (redemptions: ReconciledRedemption[]) => redemptions.map((redemption) => redemption.id);
const inAMinute = () => new Date(Date.now() + 60_000);

describe('GIFTCARD_RECONCILIATION_API', () => {
  it('lists verified redemptions approved before the given instant, oldest first, with their count', async () => {
    const first = await approved();
    const second = await approved();
    const found = await reconciliation.uncredited({ approvedBefore: inAMinute(), limit: 100 });
    expect(ids(found.items)).toEqual(expect.arrayContaining([first.id, second.id]));
    expect(ids(found.items).indexOf(first.id)).toBeLessThan(ids(found.items).indexOf(second.id));
    expect(found.items.find((item) => item.id === first.id)).toMatchObject({ userId: first.userId, state: 'verified', amountSats: 6571n, walletJournalId: null });

    // Within the grace: approved a moment ago is in flight, not listed.
    const recent = await reconciliation.uncredited({ approvedBefore: new Date(Date.now() - 60_000), limit: 100 });
    expect(ids(recent.items)).not.toContain(first.id);

    // The count is all of them; the list stops at the limit.
    const bounded = await reconciliation.uncredited({ approvedBefore: inAMinute(), limit: 1 });
    expect(bounded.items).toHaveLength(1);
    expect(bounded.count).toBe(found.count);
    expect(found.count).toBeGreaterThanOrEqual(2);
  });

  it('no longer lists a redemption once credited, and pages credited ones changed in the window oldest first', async () => {
    const since = new Date(Date.now() - 1_000);
    const credited: Array<{ id: string; journalId: string }> = [];
    for (let n = 0; n < 3; n++) {
      const redemption = await approved();
      credited.push({ id: redemption.id, journalId: await credit(redemption) });
    }
    const uncredited = await reconciliation.uncredited({ approvedBefore: inAMinute(), limit: 100 });
    expect(ids(uncredited.items)).not.toContain(credited[0]?.id);

    const until = inAMinute();
    const first = await reconciliation.credited({ since, until, after: null, limit: 2 });
    const last = first.at(-1);
    expect(last).toBeDefined();
    const rest = await reconciliation.credited({ since, until, after: last ? { at: last.changedAt, id: last.id } : null, limit: 2 });
    expect([...ids(first), ...ids(rest)]).toEqual(credited.map((redemption) => redemption.id));
    expect(first[0]).toMatchObject({ state: 'credited', walletJournalId: credited[0]?.journalId });

    // Outside the window: nothing.
    expect(await reconciliation.credited({ since: inAMinute(), until: new Date(Date.now() + 120_000), after: null, limit: 10 })).toEqual([]);
  });

  it('finds redemptions by id, and answers nothing for ids it does not have', async () => {
    const redemption = await approved();
    const found = await reconciliation.find([redemption.id, randomUUID()]);
    expect(found).toEqual([expect.objectContaining({ id: redemption.id, state: 'verified', userId: redemption.userId })]);
    expect(await reconciliation.find([])).toEqual([]);
  });
});
