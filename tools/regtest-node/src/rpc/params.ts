import { amountFromValue } from '../amounts';
import { RpcError, RPC } from './errors';

const typeName = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'string' ? 'string' : typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'bool' : 'object';

/** Positional parameters of one call, with Core's RPCHelpMan type checks. */
export class Params {
  constructor(
    readonly values: unknown[],
    private readonly names: readonly string[],
  ) {}

  has(i: number): boolean {
    return this.values[i] !== undefined && this.values[i] !== null;
  }

  private expect<T>(i: number, type: string, check: (v: unknown) => boolean): T | undefined {
    if (!this.has(i)) return undefined;
    const v = this.values[i];
    if (!check(v)) throw new RpcError(RPC.TYPE_ERROR, `JSON value of type ${typeName(v)} is not of expected type ${type}`);
    return v as T;
  }

  str(i: number): string | undefined {
    return this.expect<string>(i, 'string', (v) => typeof v === 'string');
  }

  num(i: number): number | undefined {
    return this.expect<number>(i, 'number', (v) => typeof v === 'number');
  }

  int(i: number): number | undefined {
    const v = this.num(i);
    if (v !== undefined && !Number.isInteger(v)) throw new RpcError(RPC.TYPE_ERROR, 'JSON integer out of range');
    return v;
  }

  bool(i: number): boolean | undefined {
    return this.expect<boolean>(i, 'bool', (v) => typeof v === 'boolean');
  }

  obj(i: number): Record<string, unknown> | undefined {
    return this.expect<Record<string, unknown>>(i, 'object', (v) => typeof v === 'object' && v !== null && !Array.isArray(v));
  }

  arr(i: number): unknown[] | undefined {
    return this.expect<unknown[]>(i, 'array', Array.isArray);
  }

  amount(i: number): bigint | undefined {
    return this.has(i) ? amountFromValue(this.values[i]) : undefined;
  }

  required<T>(value: T | undefined, i: number): T {
    if (value === undefined) throw new RpcError(RPC.INVALID_PARAMETER, `Missing required argument ${this.names[i] ?? i}`);
    return value;
  }
}

/** Core's ParseHashV. */
export function parseHash(value: unknown, name: string): string {
  if (typeof value !== 'string') throw new RpcError(RPC.TYPE_ERROR, `JSON value of type ${typeName(value)} is not of expected type string`);
  if (value.length !== 64) throw new RpcError(RPC.INVALID_PARAMETER, `${name} must be of length 64 (not ${value.length}, for '${value}')`);
  if (!/^[0-9a-fA-F]+$/.test(value)) throw new RpcError(RPC.INVALID_PARAMETER, `${name} must be hexadecimal string (not '${value}')`);
  return value.toLowerCase();
}

/** Core's transformNamedArguments: named parameters mapped onto the documented argument order. */
export function toPositional(params: unknown, names: readonly string[]): unknown[] {
  if (params === undefined || params === null) return [];
  if (Array.isArray(params)) return params;
  const obj = params as Record<string, unknown>;
  const out: unknown[] = [];
  for (const key of Object.keys(obj)) {
    const idx = names.indexOf(key);
    if (idx < 0) throw new RpcError(RPC.INVALID_PARAMETER, `Unknown named parameter ${key}`);
    out[idx] = obj[key];
  }
  for (let i = 0; i < out.length; i++) if (out[i] === undefined) out[i] = null;
  return out;
}
