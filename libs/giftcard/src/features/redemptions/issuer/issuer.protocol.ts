import { z } from 'zod';

/** The wire format of PROTOCOL.md, shared by the HTTP adapter (answers) and the sandbox server (requests). */
export const ISSUER_PATHS = { verify: '/v1/pins/verify', redeem: '/v1/pins/redeem' } as const;

const brand = z.string().min(1).max(64);
const pin = z.string().min(1).max(64);
/** Travels in the Idempotency-Key header too, so header-safe characters only. */
export const referenceSchema = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be 1-128 letters, digits or . _ : -');

export const verifyRequestSchema = z.strictObject({ brand, pin });
export const redeemRequestSchema = z.strictObject({ brand, pin, reference: referenceSchema });

/** Whole KRW as a decimal string, e.g. "10000". */
const faceValueKrw = z
  .string()
  .regex(/^[1-9][0-9]{0,15}$/, 'must be a positive whole number of KRW as a decimal string')
  .transform((value) => BigInt(value));

// Answers may carry fields this version does not know: z.object, not z.strictObject.
export const verifyAnswerSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('valid'), faceValueKrw }),
  z.object({ status: z.literal('invalid') }),
  z.object({ status: z.literal('already-used') }),
]);

export const redeemAnswerSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('redeemed'), faceValueKrw }),
  z.object({ status: z.literal('invalid') }),
  z.object({ status: z.literal('already-used') }),
]);

/** An answer as JSON: amounts become decimal strings. */
export function answerJson(answer: { status: string; faceValueKrw?: bigint }): string {
  return JSON.stringify(answer, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
}

/** "path: message, ..." of a failed validation (never the values, which may be PINs). */
export function describeIssues(error: z.ZodError, root: 'request' | 'answer'): string {
  return error.issues.map((issue) => `${issue.path.join('.') || root}: ${issue.message}`).join(', ');
}
