/** docs/modules/<domain>.md: one domain's canvas, everything that crosses its boundary. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describeInterval } from './intervals.mjs';
import { code, GENERATED_NOTE, list, table, uniqueSorted } from './markdown.mjs';
import { consumedBy, publishedBy } from './modules-model.mjs';

/** A route as a table row; a route without a route contract (health probes) has no access or summary. */
export const routeRow = (r) => [r.method, code(r.path), r.access ?? '(no route contract)', r.summary ?? '', r.controller];

export const schemaPath = (event) => `events/${event}.schema.json`;

const declaredList = (values) => list((values ?? []).map(code));

function boundary(project) {
  const bitro = project.bitro;
  if (!bitro) return 'No `metadata.bitro` in its project.json.';
  return [`- injects: ${declaredList(bitro.injects)}`, `- consumes: ${declaredList(bitro.consumes)}`].join('\n');
}

function provided(model, name) {
  const rows = [...model.tokens.values()]
    .flatMap((t) => t.providers.filter((p) => p.project === name).map((p) => [code(t.token), code(p.implementation), list(t.injectedBy.filter((user) => user !== name))]));
  return table(['Token', 'Implementation', 'Injected by'], rows);
}

function injected(model, name) {
  const rows = [...model.tokens.values()].filter((t) => t.injectedBy.includes(name)).map((t) => [code(t.token), list(uniqueSorted(t.providers.map((p) => p.project)), '**no provider**')]);
  return table(['Token', 'Provided by'], rows);
}

function published(model, name) {
  const events = publishedBy(model, name);
  const rows = events.map((e) => [code(e.name), e.queue ? code(e.queue) : 'in process', list(uniqueSorted(e.consumers.map((c) => c.project))), `[schema](${schemaPath(e.name)})`]);
  const schemas = events.map((e) =>
    ['<details>', `<summary><code>${e.name}</code> payload</summary>`, '', '```json', JSON.stringify(e.schema, null, 2), '```', '', '</details>'].join('\n'),
  );
  return [table(['Event', 'Queue', 'Consumed by', 'JSON Schema'], rows), ...schemas].join('\n\n');
}

function consumed(model, name) {
  const rows = consumedBy(model, name).flatMap((e) =>
    e.consumers
      .filter((c) => c.project === name)
      .map((c) => [code(e.name), list(e.producers, '**no producer**'), c.consumer ? `${code(c.consumer)}${c.subscriber ? ` (${c.subscriber})` : ''}` : '?']),
  );
  return table(['Event', 'Published by', 'Consumer'], rows);
}

function routes(model, name) {
  return table(
    ['Method', 'Path', 'Access', 'Summary', 'Controller'],
    (model.routes.get(name) ?? []).map(routeRow),
  );
}

function postgres(model, name) {
  const prisma = model.prisma.get(name);
  if (!prisma || (prisma.tables.length === 0 && prisma.schemas.length === 0)) return 'No Prisma schema.';
  const qualified = (schema, table) => code(schema ? `${schema}.${table}` : table);
  return [
    `Postgres schema(s): ${list(prisma.schemas.map(code))}.`,
    table(['Table', 'Prisma model'], prisma.tables.map((t) => [qualified(t.schema, t.table), t.model])),
    `Enums: ${list(prisma.enums.map((e) => qualified(e.schema, e.name)))}.`,
  ].join('\n\n');
}

function schedules(model, name) {
  const rows = [...(model.facts.get(name)?.schedules ?? [])]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((s) => [code(s.name), s.kind, describeInterval(s.every, model.envDefaults), s.className ?? '', s.queue ? code(s.queue) : '']);
  return table(['Name', 'Kind', 'Every', 'Class', 'Queue'], rows);
}

/** @param {ReturnType<import('./modules-model.mjs').buildModel>} model */
export function renderCanvas(model, project) {
  const { name } = project;
  const hosts = model.hosts.get(name) ?? [];
  return [
    `# ${name}`,
    GENERATED_NOTE,
    [
      `The canvas of the ${code(name)} domain: what crosses its boundary. Runs in ${list(hosts.map(code), 'no app')}. Tags: ${project.tags.map(code).join(', ')}.`,
      existsSync(join(project.root, 'README.md')) ? ` What it owns: [${model.workspace.rel(project.root)}/README.md](../../${model.workspace.rel(project.root)}/README.md).` : '',
      ' All modules: [README](README.md).',
    ].join(''),
    '## Boundary declared in project.json (`metadata.bitro`)',
    boundary(project),
    '## Service API it provides',
    provided(model, name),
    '## Service API it injects',
    injected(model, name),
    '## Events it publishes',
    published(model, name),
    '## Events it consumes',
    consumed(model, name),
    '## Routes',
    routes(model, name),
    '## Postgres',
    postgres(model, name),
    '## Scheduled work',
    schedules(model, name),
  ].join('\n\n') + '\n';
}
