/**
 * Canonical JSON of a value: object keys sorted by UTF-16 code units (as Array.prototype.sort does), no
 * whitespace, strings and numbers as JSON.stringify writes them, bigints as decimal strings, Dates as ISO
 * strings. Object members whose value is undefined are left out (as JSON does); anything else JSON
 * cannot carry (undefined in an array, NaN, Infinity, functions, symbols) throws.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`Cannot canonicalise the number ${value}`);
      return JSON.stringify(value);
    case 'bigint':
      return JSON.stringify(value.toString());
    case 'object':
      if (value instanceof Date) return JSON.stringify(value.toISOString());
      if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
      return `{${Object.keys(value)
        .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
        .sort()
        .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
        .join(',')}}`;
    default:
      throw new TypeError(`Cannot canonicalise a ${typeof value}`);
  }
}

/** `value` as plain JSON data (what storing it as JSON and reading it back gives): its canonical form parsed. */
export const toJsonData = (value: unknown): unknown => JSON.parse(canonicalJson(value));
