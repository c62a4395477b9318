/**
 * When is a change to a published `vN` event contract's JSON Schema breaking?
 *
 * Producers and consumers of an event do not change at the same time: events wait in outboxes and queues, bitro-api
 * and bitcoin-gateway deploy separately, and a consumer parses every payload with its own copy of the contract (zod,
 * so an unknown enum value or a missing required property is refused and the event ends in the dead letters). A `vN`
 * payload must therefore stay readable both ways: what an old producer wrote must pass the new schema, and what a new
 * producer writes must pass the old one. The rule: the set of valid payloads does not change, except that an
 * optional property may be added to an object that allows other properties (zod's `z.object` ignores unknown keys).
 * Annotations (title, description, default, examples, `x-*`) are free to change.
 *
 * So a removed property, a property made required or optional, a required property added, any type change
 * (nullable included), an enum value removed or added, a changed pattern, format, bound or length, an object closed
 * or opened, are all breaking: such a change is a new contract `vN+1`, published alongside `vN`.
 */

const ANNOTATIONS = new Set(['title', 'description', '$schema', '$id', '$comment', 'examples', 'default', 'deprecated', 'readOnly', 'writeOnly']);
/** Keywords compared structurally below; every other keyword must be equal. */
const STRUCTURAL = new Set(['type', 'enum', 'const', 'properties', 'required', 'additionalProperties', 'items', 'anyOf', 'oneOf', '$ref', '$defs', 'definitions']);

const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The schema without annotations, keys sorted (so equal schemas serialize equally). */
export function withoutAnnotations(schema) {
  if (Array.isArray(schema)) return schema.map(withoutAnnotations);
  if (!isObject(schema)) return schema;
  return Object.fromEntries(
    Object.keys(schema)
      .filter((key) => !ANNOTATIONS.has(key) && !key.startsWith('x-'))
      .sort()
      .map((key) => [key, withoutAnnotations(schema[key])]),
  );
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const show = (value) => (value === undefined ? 'none' : JSON.stringify(value));

function jsonType(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (Number.isInteger(value)) return 'integer';
  return typeof value;
}

/** The JSON types a schema admits (`any` when it does not say). */
function typesOf(schema) {
  if (!isObject(schema)) return schema === false ? [] : ['any'];
  if (schema.type !== undefined) return [...new Set([schema.type].flat())].sort();
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return [...new Set(union.flatMap(typesOf))].sort();
  if (schema.enum) return [...new Set(schema.enum.map(jsonType))].sort();
  if ('const' in schema) return [jsonType(schema.const)];
  return ['any'];
}

function deref(schema, root, seen) {
  let current = schema;
  while (isObject(current) && typeof current.$ref === 'string' && current.$ref.startsWith('#/')) {
    if (seen.has(current.$ref)) return current;
    seen.add(current.$ref);
    current = current.$ref
      .slice(2)
      .split('/')
      .reduce((node, part) => node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], root);
  }
  return current;
}

function compare(before, after, path, context) {
  const a = deref(before, context.rootBefore, new Set());
  const b = deref(after, context.rootAfter, new Set());
  if (same(a, b)) return [];
  const at = (reason) => `${path}: ${reason}`;
  if (!isObject(a) || !isObject(b)) return [at(`schema changed: ${show(a)} → ${show(b)}`)];

  const typesBefore = typesOf(a);
  const typesAfter = typesOf(b);
  if (!same(typesBefore, typesAfter)) return [at(`type changed: ${typesBefore.join('|')} → ${typesAfter.join('|')}`)];

  const changes = [];
  if (a.enum || b.enum) {
    const valuesAfter = new Set((b.enum ?? []).map((v) => JSON.stringify(v)));
    const valuesBefore = new Set((a.enum ?? []).map((v) => JSON.stringify(v)));
    for (const value of valuesBefore) if (!valuesAfter.has(value)) changes.push(at(`enum value removed: ${value}`));
    for (const value of valuesAfter) if (!valuesBefore.has(value)) changes.push(at(`enum value added: ${value} (a reader of the old contract refuses it)`));
  }
  if (!same(a.const, b.const)) changes.push(at(`const changed: ${show(a.const)} → ${show(b.const)}`));

  changes.push(...compareObject(a, b, path, context));

  if (a.items !== undefined || b.items !== undefined) {
    if (a.items === undefined || b.items === undefined) changes.push(at(`items changed: ${show(a.items)} → ${show(b.items)}`));
    else changes.push(...compare(a.items, b.items, `${path}[]`, context));
  }

  const unionBefore = a.anyOf ?? a.oneOf;
  const unionAfter = b.anyOf ?? b.oneOf;
  if (unionBefore || unionAfter) {
    if (!unionBefore || !unionAfter || unionBefore.length !== unionAfter.length || !!a.anyOf !== !!b.anyOf) changes.push(at('union changed'));
    else unionBefore.forEach((branch, i) => changes.push(...compare(branch, unionAfter[i], `${path}|${i}`, context)));
  }

  const keywords = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((key) => !STRUCTURAL.has(key)).sort();
  for (const key of keywords) {
    if (!same(a[key], b[key])) changes.push(at(`${key} changed: ${show(a[key])} → ${show(b[key])}`));
  }
  return changes;
}

function compareObject(a, b, path, context) {
  if (!a.properties && !b.properties && a.required === undefined && b.required === undefined && a.additionalProperties === undefined && b.additionalProperties === undefined) return [];
  const changes = [];
  const propsBefore = a.properties ?? {};
  const propsAfter = b.properties ?? {};
  const requiredBefore = new Set(a.required ?? []);
  const requiredAfter = new Set(b.required ?? []);
  const closedBefore = a.additionalProperties === false;
  for (const key of Object.keys(propsBefore).sort()) {
    const at = (reason) => `${path}.${key}: ${reason}`;
    if (!(key in propsAfter)) {
      changes.push(at('property removed'));
      continue;
    }
    if (requiredBefore.has(key) && !requiredAfter.has(key)) changes.push(at('property made optional (a reader of the old contract requires it)'));
    if (!requiredBefore.has(key) && requiredAfter.has(key)) changes.push(at('property made required'));
    changes.push(...compare(propsBefore[key], propsAfter[key], `${path}.${key}`, context));
  }
  for (const key of Object.keys(propsAfter).sort()) {
    if (key in propsBefore) continue;
    if (requiredAfter.has(key)) changes.push(`${path}.${key}: required property added`);
    else if (closedBefore) changes.push(`${path}.${key}: property added to an object that allows no other property`);
  }
  const extraBefore = a.additionalProperties;
  const extraAfter = b.additionalProperties;
  if (isObject(extraBefore) && isObject(extraAfter)) changes.push(...compare(extraBefore, extraAfter, `${path}.*`, context));
  else if (!same(extraBefore ?? true, extraAfter ?? true)) changes.push(`${path}: additionalProperties changed: ${show(extraBefore)} → ${show(extraAfter)}`);
  return changes;
}

/**
 * The breaking changes from one JSON Schema of a `vN` contract to another, one line each (`payload.x: reason`);
 * empty when the change is compatible.
 */
export function breakingChanges(before, after) {
  const rootBefore = withoutAnnotations(before);
  const rootAfter = withoutAnnotations(after);
  return compare(rootBefore, rootAfter, 'payload', { rootBefore, rootAfter });
}
