import { randomUUID } from 'node:crypto';
import { expectProblem, startSmtpServer } from '@bitro/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, signUp, startTestApp, type TestApp, until } from './test-app';

// The product default: verification required. Codes travel user domain → outbox → notification → SMTP.
let api: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

beforeAll(async () => {
  smtp = await startSmtpServer();
  api = await startTestApp({
    LOG_LEVEL: 'warn',
    EMAIL_VERIFICATION_REQUIRED: 'true',
    SMTP_URL: smtp.url,
    OUTBOX_RELAY_INTERVAL_MS: '50',
    EMAIL_VERIFICATION_MAX_ATTEMPTS: '3',
    EMAIL_VERIFICATION_MAX_RESENDS: '2',
  });
});
afterAll(async () => {
  await api?.close();
  await smtp?.close();
});

/** The codes e-mailed to `email` so far, oldest first. */
const codesFor = (email: string) =>
  smtp.mails.filter((mail) => mail.to && JSON.stringify(mail.to).includes(email)).map((mail) => /verification code: ([0-9]{6})/.exec(mail.text ?? '')?.[1]).filter(Boolean);

const waitForCodes = (email: string, count: number) => until(`${count} code(s) for ${email}`, async () => codesFor(email), (codes) => codes.length >= count);


describe('e-mail verification', () => {
  it('an unverified user signs in and reads, but cannot redeem, get a deposit address or withdraw until the e-mailed code is entered', async () => {
    const user = await signUp(api);
    const [code] = await waitForCodes(user.email, 1);

    expect((await call(api.url, 'GET', '/v1/wallet/balance', { token: user.token })).status).toBe(200);
    expect((await call(api.url, 'GET', '/v1/me', { token: user.token })).body).toMatchObject({ emailVerified: false });
    const idempotent = { 'idempotency-key': randomUUID() };
    expectProblem(await call(api.url, 'POST', '/v1/giftcards/redemptions', { token: user.token, body: { brand: 'cultureland', pin: '1111-2222-3333-4444' }, headers: idempotent }), 403, 'email-not-verified');
    expectProblem(await call(api.url, 'POST', '/v1/wallet/deposit-address', { token: user.token }), 403, 'email-not-verified');
    expectProblem(
      await call(api.url, 'POST', '/v1/wallet/withdrawals', { token: user.token, body: { address: 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080', amountSats: '10000' }, headers: idempotent }),
      403,
      'email-not-verified',
    );

    const wrong = await call(api.url, 'POST', '/v1/me/email-verification', { token: user.token, body: { code: code === '000000' ? '111111' : '000000' } });
    expectProblem(wrong, 422, 'invalid-verification-code');
    expect(wrong.body['errors']).toEqual([{ in: 'body', pointer: '/code', message: 'is wrong or expired' }]);

    const verified = await call(api.url, 'POST', '/v1/me/email-verification', { token: user.token, body: { code } });
    expect(verified).toMatchObject({ status: 200, body: { emailVerified: true } });
    const redeemed = await call(api.url, 'POST', '/v1/giftcards/redemptions', { token: user.token, body: { brand: 'cultureland', pin: '1111-2222-3333-4444' }, headers: { 'idempotency-key': randomUUID() } });
    expect(redeemed.status).toBe(202);
  });

  it('limits code guesses per user: after the limit even the right code gets 429', async () => {
    const user = await signUp(api);
    const [code] = await waitForCodes(user.email, 1);
    const other = code === '123456' ? '654321' : '123456';
    for (let i = 0; i < 3; i++) expect((await call(api.url, 'POST', '/v1/me/email-verification', { token: user.token, body: { code: other } })).status).toBe(422);
    const blocked = await call(api.url, 'POST', '/v1/me/email-verification', { token: user.token, body: { code } });
    expectProblem(blocked, 429, 'too-many-verification-attempts');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('resends a new code (the old one stops working), throttled per user', async () => {
    const user = await signUp(api);
    const [first] = await waitForCodes(user.email, 1);
    const resent = await call<{ expiresAt: string }>(api.url, 'POST', '/v1/me/email-verification/resend', { token: user.token });
    expect(resent.status).toBe(202);
    const codes = await waitForCodes(user.email, 2);
    expect((await call(api.url, 'POST', '/v1/me/email-verification/resend', { token: user.token })).status).toBe(202);
    expectProblem(await call(api.url, 'POST', '/v1/me/email-verification/resend', { token: user.token }), 429, 'too-many-verification-emails');
    await waitForCodes(user.email, 3);
    const latest = codesFor(user.email).at(-1);
    if (first !== latest) expect((await call(api.url, 'POST', '/v1/me/email-verification', { token: user.token, body: { code: first } })).status).toBe(422);
    expect(codes[1]).toMatch(/^[0-9]{6}$/);
    expect((await call(api.url, 'POST', '/v1/me/email-verification', { token: user.token, body: { code: latest } })).status).toBe(200);
    expectProblem(await call(api.url, 'POST', '/v1/me/email-verification/resend', { token: user.token }), 409, 'email-already-verified');
  });

  it('a signup with a taken address gets the same answer and e-mails the owner a notice, not a code', async () => {
    const user = await signUp(api);
    await waitForCodes(user.email, 1);
    const again = await call(api.url, 'POST', '/v1/auth/signup', { body: { email: user.email, password: 'someone else entirely', displayName: 'X' } });
    expect(again).toMatchObject({ status: 202, body: { status: 'accepted' } });
    await until('the notice', async () => smtp.mails.filter((mail) => JSON.stringify(mail.to).includes(user.email)).length, (count) => count >= 2);
    const notice = smtp.mails.filter((mail) => JSON.stringify(mail.to).includes(user.email)).at(-1);
    expect(notice?.text).toContain('already has one');
    expect(codesFor(user.email)).toHaveLength(1);
  });
});
