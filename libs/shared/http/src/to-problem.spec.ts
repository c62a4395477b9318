import { HttpException, NotFoundException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ProblemException } from './problem';
import { toProblem, zodIssuesToParams } from './to-problem';

describe('toProblem', () => {
  it('keeps a ProblemException as it is, with its headers', () => {
    const error = new ProblemException(429, 'slow-down', 'Wait.', { headers: { 'retry-after': '7' } });
    const { problem, headers, unexpected } = toProblem(error, '/v1/x', 'r1');
    expect(problem).toEqual({ type: 'https://bitro.dev/problems/slow-down', title: 'Too Many Requests', status: 429, detail: 'Wait.', instance: '/v1/x', requestId: 'r1' });
    expect(headers).toEqual({ 'retry-after': '7' });
    expect(unexpected).toBe(false);
  });

  it('names every field of a zod error, one entry per unknown key', () => {
    const schema = z.strictObject({ email: z.email(), items: z.array(z.object({ amount: z.number() })) });
    const result = schema.safeParse({ email: 'x', items: [{ amount: 'one' }], extra: 1, other: 2 });
    const errors = result.error ? zodIssuesToParams(result.error, 'body') : [];
    expect(errors.map((e) => e.pointer).sort()).toEqual(['/email', '/extra', '/items/0/amount', '/other']);
    expect(errors.every((e) => e.in === 'body')).toBe(true);
  });

  it('maps the platform HTTP exceptions by status, keeping their message', () => {
    const tooLarge = new HttpException('Request body is too large', 413);
    expect(toProblem(tooLarge, '/', 'r').problem).toMatchObject({ status: 413, type: 'https://bitro.dev/problems/body-too-large', detail: 'Request body is too large' });
  });

  it('treats a zod error thrown by server code as unexpected', () => {
    const error = z.string().safeParse(1).error;
    expect(toProblem(error, '/', 'r')).toMatchObject({ unexpected: true, problem: { status: 500 } });
  });

  it('maps Nest HTTP exceptions', () => {
    expect(toProblem(new NotFoundException(), '/nope', 'r').problem).toMatchObject({ status: 404, type: 'https://bitro.dev/problems/not-found' });
  });

  it('maps an error that exposes a 4xx status (http-errors), and only such an error', () => {
    const range = Object.assign(new Error('Range Not Satisfiable'), { status: 416, statusCode: 416, expose: true });
    expect(toProblem(range, '/images/a.png', 'r')).toMatchObject({ unexpected: false, problem: { status: 416, type: 'https://bitro.dev/problems/http-416', detail: 'Range Not Satisfiable' } });
    expect(toProblem(Object.assign(new Error('Forbidden'), { statusCode: 403, expose: true }), '/images/', 'r').problem.status).toBe(403);
    expect(toProblem(Object.assign(new Error('secret detail'), { statusCode: 404 }), '/', 'r')).toMatchObject({ unexpected: true, problem: { status: 500 } });
    expect(toProblem(Object.assign(new Error('upstream'), { statusCode: 502, expose: true }), '/', 'r')).toMatchObject({ unexpected: true, problem: { status: 500 } });
  });

  it('hides the details of an unexpected error', () => {
    const { problem, unexpected } = toProblem(new Error('password=hunter2 at db.ts:12'), '/', 'r9');
    expect(unexpected).toBe(true);
    expect(problem.status).toBe(500);
    expect(JSON.stringify(problem)).not.toContain('hunter2');
  });
});
