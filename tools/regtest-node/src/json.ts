import { BtcAmount, formatBtc } from './amounts';

/** JSON writer that prints BtcAmount with 8 decimals and drops undefined fields, like UniValue does for absent keys. */
export function toJson(value: unknown): string {
  if (value instanceof BtcAmount) return formatBtc(value.sats);
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return `[${value.map((v) => toJson(v)).join(',')}]`;
  if (typeof value === 'object') {
    if ('toJSON' in value && typeof value.toJSON === 'function') return toJson(value.toJSON());
    const parts: string[] = [];
    for (const [key, v] of Object.entries(value)) {
      if (v !== undefined) parts.push(`${JSON.stringify(key)}:${toJson(v)}`);
    }
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(value);
}
