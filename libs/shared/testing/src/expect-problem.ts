import { expect } from 'vitest';
import type { JsonResponse } from './request-json';

/** Asserts an RFC 9457 answer: the status, the problem+json media type, and the problem type `<code>`. */
export function expectProblem(answer: JsonResponse<unknown>, status: number, code: string): void {
  expect(answer.status).toBe(status);
  expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(answer.body).toMatchObject({ type: `https://bitro.dev/problems/${code}`, status });
}
