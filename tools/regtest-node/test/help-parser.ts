import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** A documented result shape from Bitcoin Core's RPC help "Result:" section. */
export interface Shape {
  kind: 'object' | 'array' | 'scalar';
  /** Core's type word: string, numeric, boolean, json object, json array, json null, ... */
  type: string;
  optional: boolean;
  description: string;
  fields: Map<string, Shape>;
  /** The object documents `...` (fields described elsewhere): any further field is allowed. */
  open: boolean;
  items?: Shape;
}

export interface HelpText {
  method: string;
  args: string[];
  results: { label: string; shape: Shape }[];
}

/** Placeholder keys of Core's OBJ_DYN results (an object keyed by data, e.g. txid → entry). */
const DYNAMIC_KEYS = new Set(['transactionid']);

const HELP_DIR = join(__dirname, '..', 'core-help');

function shape(kind: Shape['kind'], typeText: string, description: string): Shape {
  const [type, ...flags] = typeText.split(',').map((s) => s.trim());
  return { kind, type, optional: flags.some((f) => f.startsWith('optional')), description, fields: new Map(), open: false };
}

function parseSection(lines: string[]): Shape {
  // Every structural line has its "(type)" at the column of the first line's "(".
  const col = lines[0].indexOf('(');
  const stack: Shape[] = [];
  let root: Shape | undefined;
  for (const line of lines) {
    const left = line.slice(0, col).trim();
    const right = line.slice(col).trim();
    if (!left) {
      const top = stack[stack.length - 1];
      if (top) top.description += ` ${right}`;
      continue;
    }
    const typeMatch = /^\(([^)]*)\)\s*(.*)$/.exec(right);
    const typeText = typeMatch?.[1] ?? '';
    const description = typeMatch?.[2] ?? right;
    if (/^[}\]],?$/.test(left)) {
      stack.pop();
      continue;
    }
    const parent = stack[stack.length - 1];
    if (/^\.\.\.,?$/.test(left)) {
      if (parent?.kind === 'object') parent.open = true;
      continue;
    }
    const field = /^"([^"]+)"\s*:\s*(.*?),?$/.exec(left);
    const value = field ? field[2] : left.replace(/,$/, '');
    const kind: Shape['kind'] = value === '{' ? 'object' : value === '[' ? 'array' : 'scalar';
    const node = shape(kind, typeText, description);
    if (!parent) root = node;
    else if (field && parent.kind === 'object') parent.fields.set(field[1], node);
    else if (parent.kind === 'array') parent.items = node;
    if (kind !== 'scalar') stack.push(node);
  }
  if (!root) throw new Error('empty Result section');
  return root;
}

export function parseHelp(file: string): HelpText {
  const text = readFileSync(join(HELP_DIR, file), 'utf8');
  const lines = text.split('\n');
  const method = file.split('.')[0];
  const args: string[] = [];
  const results: HelpText['results'] = [];
  let i = lines.findIndex((l) => l.startsWith('Arguments:'));
  if (i >= 0) {
    for (i++; i < lines.length && !/^Result/.test(lines[i]); i++) {
      const m = /^(\d+)\.\s+(\S+)/.exec(lines[i]);
      if (m) args.push(m[2]);
    }
  }
  for (let j = 0; j < lines.length; j++) {
    const header = /^Result( \((.*)\))?:$/.exec(lines[j]);
    if (!header) continue;
    const body: string[] = [];
    for (j++; j < lines.length && lines[j] !== ''; j++) body.push(lines[j]);
    results.push({ label: header[2] ?? '', shape: parseSection(body) });
  }
  return { method, args, results };
}

export const helpFiles = (): string[] => readdirSync(HELP_DIR).filter((f) => f.endsWith('.txt'));

const SCALAR_TYPES: Record<string, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  numeric: (v) => typeof v === 'number',
  boolean: (v) => typeof v === 'boolean',
  'json null': (v) => v === null,
};

/** Problems of `value` against a documented shape: missing fields, wrong JSON types, undocumented fields. */
export function checkShape(value: unknown, s: Shape, path = '$'): string[] {
  // getwalletinfo's "scanning" is documented as an object "or false".
  if (value === false && /or false/.test(s.description)) return [];
  if (s.kind === 'object' || s.type === 'json object') {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path}: expected json object, got ${JSON.stringify(value)}`];
    const problems: string[] = [];
    const [only] = s.fields.keys();
    if (s.fields.size === 1 && DYNAMIC_KEYS.has(only)) {
      const entry = s.fields.get(only) as Shape;
      return Object.entries(value).flatMap(([k, v]) => checkShape(v, entry, `${path}.${k}`));
    }
    for (const [name, field] of s.fields) {
      if (!(name in value)) {
        if (!field.optional) problems.push(`${path}.${name}: missing`);
        continue;
      }
      problems.push(...checkShape((value as Record<string, unknown>)[name], field, `${path}.${name}`));
    }
    if (!s.open) for (const key of Object.keys(value)) if (!s.fields.has(key)) problems.push(`${path}.${key}: not documented by Core`);
    return problems;
  }
  if (s.kind === 'array' || s.type === 'json array') {
    if (!Array.isArray(value)) return [`${path}: expected json array`];
    return s.items ? value.flatMap((v, i) => checkShape(v, s.items as Shape, `${path}[${i}]`)) : [];
  }
  const check = SCALAR_TYPES[s.type];
  if (!check) return [`${path}: unknown documented type ${s.type}`];
  return check(value) ? [] : [`${path}: expected ${s.type}, got ${JSON.stringify(value)}`];
}
