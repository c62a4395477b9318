/** docs/modules/README.md: every domain and app, and Mermaid diagrams of who calls whom and where events flow. */
import { routeRow, schemaPath } from './render-canvas.mjs';
import { code, GENERATED_NOTE, list, nodeId, table, uniqueSorted } from './markdown.mjs';
import { consumedBy, publishedBy } from './modules-model.mjs';

const node = (name) => `${nodeId(name)}["${name}"]`;
const queueNode = (queue) => `q_${nodeId(queue)}[("${queue}")]`;
const label = (names) => `"${uniqueSorted(names).join('<br/>')}"`;

/** Edges grouped by (from, to), labelled with every name they carry. */
function edges(pairs) {
  const grouped = new Map();
  for (const { from, to, name } of pairs) {
    const key = `${from}\u0000${to}`;
    grouped.set(key, [...(grouped.get(key) ?? []), name]);
  }
  return [...grouped].sort(([a], [b]) => a.localeCompare(b)).map(([key, names]) => {
    const [from, to] = key.split('\u0000');
    return `  ${from} -->|${label(names)}| ${to}`;
  });
}

function mermaid(lines) {
  return ['```mermaid', 'flowchart LR', ...lines, '```'].join('\n');
}

function syncDiagram(model) {
  const pairs = [...model.tokens.values()].flatMap((t) => t.injectedBy.flatMap((user) => t.providers.map((p) => ({ from: nodeId(user), to: nodeId(p.project), name: t.token }))));
  if (pairs.length === 0) return 'No project injects another one\'s token.';
  const names = uniqueSorted([...model.tokens.values()].flatMap((t) => [...t.injectedBy, ...t.providers.map((p) => p.project)]));
  return mermaid([...names.map((n) => `  ${node(n)}`), ...edges(pairs)]);
}

function inProcessDiagram(model) {
  const local = [...model.events.values()].filter((e) => !e.queue);
  const pairs = local.flatMap((e) => e.producers.flatMap((p) => e.consumers.map((c) => ({ from: nodeId(p), to: nodeId(c.project), name: e.name }))));
  if (pairs.length === 0) return 'None.';
  const names = uniqueSorted(local.flatMap((e) => [...e.producers, ...e.consumers.map((c) => c.project)]));
  return mermaid([...names.map((n) => `  ${node(n)}`), ...edges(pairs)]);
}

function betweenProcessesDiagram(model) {
  const queued = [...model.events.values()].filter((e) => e.queue);
  if (queued.length === 0) return 'None.';
  const appOf = (project) => model.hosts.get(project)?.[0] ?? project;
  const pairs = [];
  for (const e of queued) {
    for (const producer of e.producers) {
      const remote = e.consumers.filter((c) => appOf(c.project) !== appOf(producer));
      if (remote.length > 0) pairs.push({ from: nodeId(producer), to: `q_${nodeId(e.queue)}`, name: e.name });
      for (const c of remote) pairs.push({ from: `q_${nodeId(e.queue)}`, to: nodeId(c.project), name: e.name });
      for (const c of e.consumers.filter((c) => appOf(c.project) === appOf(producer))) pairs.push({ from: nodeId(producer), to: nodeId(c.project), name: e.name });
    }
  }
  const projects = uniqueSorted(queued.flatMap((e) => [...e.producers, ...e.consumers.map((c) => c.project)]));
  const byApp = new Map();
  for (const project of projects) byApp.set(appOf(project), [...(byApp.get(appOf(project)) ?? []), project]);
  const subgraphs = [...byApp].sort(([a], [b]) => a.localeCompare(b)).flatMap(([app, members]) => [`  subgraph ${nodeId(app)}_app["${app}"]`, ...members.map((m) => `    ${node(m)}`), '  end']);
  const queues = uniqueSorted(queued.map((e) => e.queue)).map((q) => `  ${queueNode(q)}`);
  return mermaid([...subgraphs, ...queues, ...edges(pairs)]);
}

function domainsTable(model) {
  return table(
    ['Domain', 'Runs in', 'Postgres schema', 'Provides', 'Injects', 'Routes', 'Publishes', 'Consumes'],
    model.domains.map((d) => [
      `[${d.name}](${d.name}.md)`,
      list(model.hosts.get(d.name) ?? []),
      list((model.prisma.get(d.name)?.schemas ?? []).map(code)),
      list([...model.tokens.values()].filter((t) => t.providers.some((p) => p.project === d.name)).map((t) => code(t.token))),
      list([...model.tokens.values()].filter((t) => t.injectedBy.includes(d.name)).map((t) => code(t.token))),
      (model.routes.get(d.name) ?? []).length,
      publishedBy(model, d.name).length,
      consumedBy(model, d.name).length,
    ]),
  );
}

function appSection(model, app) {
  const domains = model.domains.filter((d) => model.hosts.get(d.name)?.includes(app.name)).map((d) => `[${d.name}](${d.name}.md)`);
  const injects = [...model.tokens.values()].filter((t) => t.injectedBy.includes(app.name)).map((t) => code(t.token));
  const consumes = consumedBy(model, app.name).map((e) => code(e.name));
  const routes = (model.routes.get(app.name) ?? []).map(routeRow);
  return [
    `### ${app.name}`,
    `Domains: ${list(domains)}. Injects: ${list(injects)}. Consumes: ${list(consumes)}. Declared (\`metadata.bitro\`): injects ${list((app.bitro?.injects ?? []).map(code))}; consumes ${list((app.bitro?.consumes ?? []).map(code))}.`,
    'Its own routes:',
    table(['Method', 'Path', 'Access', 'Summary', 'Controller'], routes),
  ].join('\n\n');
}

function eventsTable(model) {
  return table(
    ['Event', 'Queue', 'Published by', 'Consumed by', 'JSON Schema'],
    [...model.events.values()].map((e) => [
      code(e.name),
      e.queue ? code(e.queue) : 'in process',
      list(e.producers),
      list(uniqueSorted(e.consumers.map((c) => c.project))),
      `[schema](${schemaPath(e.name)})`,
    ]),
  );
}

/** @param {ReturnType<import('./modules-model.mjs').buildModel>} model */
export function renderOverview(model) {
  return [
    '# Modules',
    GENERATED_NOTE,
    [
      'One canvas per domain, derived from the code by `npm run docs:modules` (tools/docs): the service-api it provides and',
      'injects, the events it publishes and consumes, its routes, its Postgres tables and its scheduled work.',
      '`npm run docs:modules -- --check` fails when these files are stale or when a published `vN` event contract changed',
      'in a breaking way; `npm run graph:check` fails when a project injects a token or consumes an event it does not declare',
      'in the `metadata.bitro` of its project.json (docs/adr/0024-module-contracts.md).',
    ].join('\n'),
    '## Domains',
    domainsTable(model),
    '## Apps',
    ...model.apps.map((app) => appSection(model, app)),
    '## Synchronous dependencies',
    'An arrow goes from the project that injects a service-api token to the domain that provides it.',
    syncDiagram(model),
    '## Events within a process',
    'Domain events (`@bitro/service-api`): from the domain that appends them to its outbox to each consuming domain.',
    inProcessDiagram(model),
    '## Events between bitro-api and bitcoin-gateway',
    'Gateway-contract messages (`@bitro/gateway-contract`) travel on a queue to the other process; a consumer in the producing process receives them directly too.',
    betweenProcessesDiagram(model),
    '## Event contracts',
    'Every contract, with the JSON Schema of its payload as a consumer validates it (committed: `docs/modules/events/`).',
    eventsTable(model),
  ].join('\n\n') + '\n';
}
