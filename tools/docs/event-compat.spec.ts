import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { breakingChanges } from './event-compat.mjs';

const object = (properties: Record<string, object>, required: string[], extra: Record<string, unknown> = {}) => ({ type: 'object', properties, required, ...extra });
const str = { type: 'string' };
const uuid = { type: 'string', format: 'uuid' };

/** The JSON Schema a contract's payload is snapshotted as (docs/modules/events). */
const snapshot = (payload: z.ZodType) => z.toJSONSchema(payload, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;

describe('breakingChanges: what stays compatible', () => {
  it('an identical schema, or one whose annotations changed', () => {
    const before = object({ id: uuid, note: str }, ['id']);
    expect(breakingChanges(before, before)).toEqual([]);
    expect(breakingChanges({ ...before, title: 'x.y.v1', description: 'old' }, { ...before, title: 'x.y.v1', description: 'new', 'x-queue': 'q' })).toEqual([]);
    expect(breakingChanges(object({ id: { ...uuid, description: 'a' } }, ['id']), object({ id: { ...uuid, description: 'b', examples: ['x'] } }, ['id']))).toEqual([]);
  });

  it('an optional property added to an object that allows other properties', () => {
    expect(breakingChanges(object({ id: uuid }, ['id']), object({ id: uuid, redemptionId: uuid }, ['id']))).toEqual([]);
  });

  it('the property order and the order of `required`', () => {
    expect(breakingChanges(object({ a: str, b: str }, ['a', 'b']), object({ b: str, a: str }, ['b', 'a']))).toEqual([]);
  });

  it('as zod writes it: wallet.credited.v1 gaining an optional redemptionId', () => {
    const v1 = z.object({ journalId: z.uuid(), reference: z.string() });
    expect(breakingChanges(snapshot(v1), snapshot(v1.extend({ redemptionId: z.uuid().optional() })))).toEqual([]);
  });
});

describe('breakingChanges: what a vN must not do', () => {
  it('remove a property', () => {
    expect(breakingChanges(object({ id: uuid, note: str }, ['id']), object({ id: uuid }, ['id']))).toEqual(['payload.note: property removed']);
  });

  it('make a property required, or add a required property', () => {
    expect(breakingChanges(object({ id: uuid, note: str }, ['id']), object({ id: uuid, note: str }, ['id', 'note']))).toEqual(['payload.note: property made required']);
    expect(breakingChanges(object({ id: uuid }, ['id']), object({ id: uuid, note: str }, ['id', 'note']))).toEqual(['payload.note: required property added']);
  });

  it('make a required property optional (a reader of vN relies on it)', () => {
    expect(breakingChanges(object({ id: uuid }, ['id']), object({ id: uuid }, []))).toEqual(['payload.id: property made optional (a reader of the old contract requires it)']);
  });

  it('change or narrow a type, nullable included', () => {
    expect(breakingChanges(object({ n: { type: 'string' } }, ['n']), object({ n: { type: 'integer' } }, ['n']))).toEqual(['payload.n: type changed: string → integer']);
    expect(breakingChanges(object({ n: { type: ['string', 'null'] } }, ['n']), object({ n: { type: 'string' } }, ['n']))).toEqual(['payload.n: type changed: null|string → string']);
    expect(breakingChanges(snapshot(z.object({ hash: z.string() })), snapshot(z.object({ hash: z.string().nullable() })))).toEqual(['payload.hash: type changed: string → null|string']);
  });

  it('remove an enum value, or add one (a reader of vN refuses it)', () => {
    const reason = (values: string[]) => object({ reason: { type: 'string', enum: values } }, ['reason']);
    expect(breakingChanges(reason(['reorg', 'conflict']), reason(['reorg']))).toEqual(['payload.reason: enum value removed: "conflict"']);
    expect(breakingChanges(reason(['reorg']), reason(['reorg', 'dust']))).toEqual(['payload.reason: enum value added: "dust" (a reader of the old contract refuses it)']);
  });

  it('change a pattern, a format or a bound', () => {
    const amount = (extra: object) => object({ amountSats: { type: 'string', ...extra } }, ['amountSats']);
    expect(breakingChanges(amount({ pattern: '^[1-9][0-9]*$' }), amount({ pattern: '^(0|[1-9][0-9]*)$' }))).toEqual([
      'payload.amountSats: pattern changed: "^[1-9][0-9]*$" → "^(0|[1-9][0-9]*)$"',
    ]);
    expect(breakingChanges(amount({ format: 'uuid' }), amount({}))).toEqual(['payload.amountSats: format changed: "uuid" → none']);
    expect(breakingChanges(amount({ maxLength: 500 }), amount({ maxLength: 200 }))).toEqual(['payload.amountSats: maxLength changed: 500 → 200']);
    expect(breakingChanges(amount({ maxLength: 200 }), amount({ maxLength: 500 }))).toEqual(['payload.amountSats: maxLength changed: 200 → 500']);
  });

  it('close or open an object, or add a property to a closed one', () => {
    expect(breakingChanges(object({ id: uuid }, ['id']), object({ id: uuid }, ['id'], { additionalProperties: false }))).toEqual([
      'payload: additionalProperties changed: none → false',
    ]);
    expect(breakingChanges(object({ id: uuid }, ['id'], { additionalProperties: false }), object({ id: uuid, x: str }, ['id'], { additionalProperties: false }))).toEqual([
      'payload.x: property added to an object that allows no other property',
    ]);
    expect(breakingChanges(snapshot(z.object({ id: z.uuid() })), snapshot(z.strictObject({ id: z.uuid() })))).toEqual(['payload: additionalProperties changed: none → false']);
  });

  it('change what an array holds, deep inside', () => {
    const postings = (amount: object) => object({ postings: { type: 'array', items: object({ account: str, amountSats: amount }, ['account', 'amountSats']), minItems: 2 } }, ['postings']);
    expect(breakingChanges(postings({ type: 'string' }), postings({ type: 'number' }))).toEqual(['payload.postings[].amountSats: type changed: string → number']);
  });

  it('change a union', () => {
    const union = (branches: object[]) => object({ v: { anyOf: branches } }, ['v']);
    expect(breakingChanges(union([object({ a: str }, ['a']), { type: 'null' }]), union([object({ b: str }, ['b']), { type: 'null' }]))).toEqual([
      'payload.v|0.a: property removed',
      'payload.v|0.b: required property added',
    ]);
  });

  it('follows local $refs', () => {
    const withRef = (amount: object) => ({ ...object({ a: { $ref: '#/$defs/Amount' } }, ['a']), $defs: { Amount: amount } });
    expect(breakingChanges(withRef({ type: 'string' }), withRef({ type: 'string' }))).toEqual([]);
    expect(breakingChanges(withRef({ type: 'string' }), withRef({ type: 'integer' }))).toEqual(['payload.a: type changed: string → integer']);
  });

  it('lists every breaking change at once', () => {
    expect(breakingChanges(object({ a: str, b: str }, ['a']), object({ b: { type: 'integer' }, c: str }, ['c']))).toEqual([
      'payload.a: property removed',
      'payload.b: type changed: string → integer',
      'payload.c: required property added',
    ]);
  });
});
