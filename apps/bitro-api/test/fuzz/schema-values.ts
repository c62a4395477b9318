import { fc } from '@fast-check/vitest';
import type { JsonSchema } from './openapi-operations';

const UUID = '7d0f3c4e-0000-4000-8000-00000000000a';
/** Instants at and past the edges of what JavaScript, ISO 8601 and PostgreSQL accept. */
export const EDGE_INSTANTS = [
  '0000-01-01',
  '0000-01-01T00:00:00.000Z',
  '0000-12-31T23:59:59.999Z',
  '0001-01-01T00:00:00+01:00',
  '9999-12-31T23:59:59-01:00',
  '+275760-09-13T00:00:00.000Z',
  '-000001-01-01T00:00:00.000Z',
  '2026-02-30',
  '1970-01-01T00:00:00.000Z',
  '2026-12-05T25:00:00Z',
];
const WRONG_SCALARS: unknown[] = [null, true, false, 0, -1, 1.5, -0.0001, 1e308, -1e308, 2 ** 53 + 1, '', ' ', 'null', 'true', '-1', '1e309', 'NaN', 'Infinity', '0x10', '9'.repeat(40), '１２３'];
const ODD_TEXT = ['\u0000', 'a\u0000b', '\uD800', '\uDFFF\uD800', '\u202Eevil', '\uFEFF', '\uFFFF', 'e\u0301\u0301\u0301', '😀'.repeat(50), '\\', '"', "'; DROP TABLE x; --", '%00', '%ZZ', '../../etc/passwd', '<script>'];

const base64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** Values shaped like the opaque cursors of list routes: base64url of JSON, with edge instants and junk. */
const cursorLike = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...EDGE_INSTANTS).map((instant) => base64url([instant, UUID])) },
  fc.tuple(fc.string(), fc.string()).map(base64url),
  fc.jsonValue({ maxDepth: 2 }).map(base64url),
  fc.constantFrom('', '!!', '====', base64url('\u0000'), base64url([null, null]), base64url(`["2026-01-01T00:00:00Z","${UUID}\u0000"]`)),
);

/** A value the schema accepts (as far as the schema can tell: refinements are not in it). */
export function validValue(schema: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema) return fc.constant(undefined);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((option) => validValue(option, depth)));
  switch (schema.type) {
    case 'string':
      return validString(schema);
    case 'integer':
      return fc.integer({ min: schema.minimum ?? (schema.exclusiveMinimum ?? -1_000_000) + (schema.exclusiveMinimum === undefined ? 0 : 1), max: schema.maximum ?? 1_000_000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(validValue(schema.items, depth + 1), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 3, 3) });
    case 'object':
      return validObject(schema, depth);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function validString(schema: JsonSchema): fc.Arbitrary<string> {
  switch (schema.format) {
    case 'uuid':
      return fc.uuid();
    case 'email':
      return fc.stringMatching(/^[a-z]{1,12}@example\.com$/);
    case 'date':
      return fc.date({ min: new Date('1990-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10));
    case 'date-time':
      return fc.date({ min: new Date('1990-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((date) => date.toISOString());
  }
  if (schema.pattern === '^[0-9]+$' || schema.pattern === '^\\d+$') {
    // Amounts: small ones, limits and the 21 million BTC in satoshis.
    return fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 9n }).map(String), fc.constantFrom('0', '1', '546', '10000', '2100000000000000', '2099999999999999'));
  }
  const length = { minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 40) };
  if (schema.pattern) {
    try {
      const matching = fc.stringMatching(new RegExp(schema.pattern));
      return matching.filter((value) => value.length >= length.minLength && value.length <= (schema.maxLength ?? Infinity));
    } catch {
      // A pattern fast-check cannot generate from: any text will do as a starting point.
    }
  }
  return fc.string({ ...length, minLength: Math.max(length.minLength, 1) }).map((value) => (value.trim() ? value : `x${value}`));
}

function validObject(schema: JsonSchema, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  if (Object.keys(properties).length === 0) {
    if (typeof schema.additionalProperties === 'object' && depth < 3) {
      return fc.dictionary(schema.propertyNames ? (validValue(schema.propertyNames) as fc.Arbitrary<string>) : fc.string({ maxLength: 10 }), validValue(schema.additionalProperties, depth + 1), { maxKeys: 3 });
    }
    return fc.constant({});
  }
  const record = Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, validValue(property, depth + 1)]));
  return fc.record(record, { requiredKeys: (schema.required ?? []).filter((name) => name in properties) }) as fc.Arbitrary<Record<string, unknown>>;
}

const isInstant = (schema: JsonSchema | undefined): boolean =>
  schema?.format === 'date' || schema?.format === 'date-time' || (schema?.anyOf ?? []).some(isInstant);

/**
 * Wrong values for a field of this schema: types, bounds, encodings, NUL, very long, unicode, edge instants, cursors.
 * Like a fuzzer's dictionary, the field's kind weighs what is likelier to get past its checks: edge instants for dates,
 * cursor-shaped values for a `cursor`, a valid value with a NUL or odd unicode inserted for text.
 */
export function wrongValue(schema: JsonSchema | undefined, name = ''): fc.Arbitrary<unknown> {
  const valid = validValue(schema).filter((value) => typeof value === 'string') as fc.Arbitrary<string>;
  const textual = schema?.type === 'string' || schema?.format !== undefined || schema?.pattern !== undefined || schema?.anyOf !== undefined;
  const arbitraries: Array<fc.WeightedArbitrary<unknown>> = [
    { weight: 2, arbitrary: fc.constantFrom(...WRONG_SCALARS) },
    { weight: 1, arbitrary: fc.constantFrom(...ODD_TEXT) },
    { weight: isInstant(schema) ? 30 : 1, arbitrary: fc.constantFrom(...EDGE_INSTANTS) },
    { weight: name === 'cursor' ? 30 : 1, arbitrary: cursorLike },
    { weight: 1, arbitrary: fc.constantFrom([], {}, [null], { '': '' }, [[[[]]]]) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 5 }).map((power) => 'x'.repeat(10 ** power)) },
  ];
  if (textual) {
    const inserted = (odd: fc.Arbitrary<string>) =>
      fc.tuple(valid, odd, fc.nat()).map(([value, text, at]) => {
        const position = value.length === 0 ? 0 : at % (value.length + 1);
        return value.slice(0, position) + text + value.slice(position);
      });
    arbitraries.push(
      { weight: 8, arbitrary: inserted(fc.constant('\u0000')) },
      { weight: 4, arbitrary: inserted(fc.constantFrom(...ODD_TEXT)) },
      { weight: 1, arbitrary: valid.map((value) => value.repeat(Math.ceil(5_000 / Math.max(value.length, 1)))) },
      { weight: 1, arbitrary: valid.map((value) => `${value} `) },
      { weight: 1, arbitrary: valid.map((value) => value.toUpperCase()) },
    );
  }
  if (schema?.type === 'integer' || schema?.type === 'number') {
    arbitraries.push({ weight: 2, arbitrary: fc.constantFrom((schema.maximum ?? 0) + 1, (schema.minimum ?? 0) - 1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 0.5) });
  }
  return fc.oneof(...arbitraries);
}
