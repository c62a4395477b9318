/**
 * Everything the module docs show, joined: per project its facts, routes and tables; per token who provides and
 * who injects it; per event who publishes and who consumes it; per domain the app(s) it runs in.
 */
import { uniqueSorted } from './markdown.mjs';
import { isApp, isDomain } from './workspace.mjs';

/**
 * @typedef {{ name: string, queue: string | null, schema: Record<string, unknown>, producers: string[], consumers: { project: string, consumer: string | null, subscriber: string | null }[] }} EventModel
 * @typedef {{ token: string, providers: { project: string, implementation: string }[], injectedBy: string[] }} TokenModel
 */

export function buildModel({ workspace, facts, routes, prisma, schemas, envDefaults }) {
  const domains = workspace.projects.filter(isDomain);
  const apps = workspace.projects.filter(isApp);
  const domainNames = new Set(domains.map((d) => d.name));

  /** @type {Map<string, string[]>} domain → apps that import it */
  const hosts = new Map(domains.map((d) => [d.name, apps.filter((app) => facts.get(app.name)?.dependsOn.includes(d.name)).map((app) => app.name)]));

  /** @type {Map<string, TokenModel>} */
  const tokens = new Map();
  const tokenOf = (token) => {
    if (!tokens.has(token)) tokens.set(token, { token, providers: [], injectedBy: [] });
    return tokens.get(token);
  };
  /** @type {Map<string, EventModel>} */
  const events = new Map([...schemas.values()].map((s) => [s.name, { name: s.name, queue: s.queue, schema: s.schema, producers: [], consumers: [] }]));
  const eventOf = (name) => {
    if (!events.has(name)) events.set(name, { name, queue: null, schema: {}, producers: [], consumers: [] });
    return events.get(name);
  };

  for (const f of [...facts.values()].sort((a, b) => a.project.localeCompare(b.project))) {
    for (const p of f.provides) tokenOf(p.token).providers.push({ project: f.project, implementation: p.implementation });
    for (const token of uniqueSorted(f.injects.map((i) => i.token))) tokenOf(token).injectedBy.push(f.project);
    for (const name of uniqueSorted(f.publishes.map((p) => p.event))) eventOf(name).producers.push(f.project);
    const consumers = new Map(f.consumes.map((c) => [`${c.event}\u0000${c.consumer}`, c]));
    for (const c of [...consumers.values()].sort((a, b) => String(a.consumer).localeCompare(String(b.consumer)))) {
      eventOf(c.event).consumers.push({ project: f.project, consumer: c.consumer, subscriber: c.subscriber });
    }
  }

  return {
    workspace,
    domains,
    apps,
    domainNames,
    hosts,
    facts,
    routes,
    prisma,
    envDefaults,
    tokens: new Map([...tokens].sort(([a], [b]) => a.localeCompare(b))),
    events: new Map([...events].sort(([a], [b]) => a.localeCompare(b))),
  };
}

/** The events a project publishes / consumes, by name (sorted). */
export const publishedBy = (model, project) => [...model.events.values()].filter((e) => e.producers.includes(project));
export const consumedBy = (model, project) => [...model.events.values()].filter((e) => e.consumers.some((c) => c.project === project));
