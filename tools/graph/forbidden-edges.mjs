/**
 * Pure checking logic of `npm run graph:check`: which edges of an Nx project graph
 * break the `depConstraints` of `@nx/enforce-module-boundaries`.
 *
 * The semantics follow the lint rule of @nx/eslint-plugin (23.x), so that the graph
 * check and `nx lint` can never disagree on what is allowed:
 * - every constraint whose `sourceTag` (or all of whose `allSourceTags`) the source
 *   project carries applies, and ALL applicable constraints must hold;
 * - `onlyDependOnLibsWithTags: [...]`: the target must carry at least one of the tags;
 *   `onlyDependOnLibsWithTags: []`: the target must carry no tag at all;
 * - `notDependOnLibsWithTags`: neither the target nor any project reachable from it
 *   may carry one of the tags (Nx checks this transitively);
 * - when there are constraints but none applies to the source project, the source
 *   may not depend on any project;
 * - a tag in a constraint may be `*`, a `/regex/` or a glob with `*`.
 *
 * Unlike the lint rule, which stops at the first violated constraint of an import,
 * this reports every violated constraint of an edge, and it sees every kind of edge
 * (static and dynamic imports, and `implicitDependencies` of project.json).
 * Edges to npm packages (`npm:*` or any node that is not a workspace project) are
 * ignored.
 */

/**
 * @typedef {{ sourceTag?: string, allSourceTags?: string[], onlyDependOnLibsWithTags?: string[], notDependOnLibsWithTags?: string[] }} DepConstraint
 * @typedef {{ name: string, type?: string, data: { tags?: string[] } }} ProjectNode
 * @typedef {{ source: string, target: string, type?: string }} Dependency
 * @typedef {{ nodes: Record<string, ProjectNode>, dependencies: Record<string, Dependency[]> }} ProjectGraph
 * @typedef {{ source: string, target: string, sourceTags: string[], targetTags: string[], types: string[], violations: string[] }} ForbiddenEdge
 */

const regexCache = new Map();

function globToRegExp(glob) {
  // Same mapping as @nx/eslint-plugin: `*`, `**` and `.*` all mean "anything".
  return new RegExp(`^${new RegExp(glob.split(/(?:\.\*)|\*+/).join('.*')).source}$`);
}

/**
 * Whether a project carries `tag` (which may be `*`, a `/regex/` or a glob), as Nx defines it.
 * @param {string[]} tags the project's tags
 * @param {string} tag
 */
export function hasTag(tags, tag) {
  if (tag === '*') return true;
  const isRegex = tag.length > 1 && tag.startsWith('/') && tag.endsWith('/');
  if (isRegex || tag.includes('*')) {
    let regex = regexCache.get(tag);
    if (!regex) {
      regex = isRegex ? new RegExp(tag.slice(1, -1)) : globToRegExp(tag);
      regexCache.set(tag, regex);
    }
    return tags.some((t) => regex.test(t));
  }
  return tags.includes(tag);
}

/**
 * The constraints that apply to a project with these tags.
 * @param {DepConstraint[]} depConstraints
 * @param {string[]} tags
 */
export function findConstraintsFor(depConstraints, tags) {
  return depConstraints.filter((c) =>
    c.allSourceTags ? c.allSourceTags.every((t) => hasTag(tags, t)) : hasTag(tags, c.sourceTag),
  );
}

const quote = (tags) => tags.map((t) => `"${t}"`).join(', ');
const sourceLabel = (c) => (c.allSourceTags ? c.allSourceTags.join('" and "') : c.sourceTag);
const tagsOf = (node) => node?.data?.tags ?? [];

/** Project-to-project adjacency (npm and unknown nodes dropped, self edges dropped). */
function projectEdges(graph) {
  /** @type {Map<string, Map<string, Set<string>>>} source -> target -> dependency types */
  const edges = new Map();
  for (const [sourceName, deps] of Object.entries(graph.dependencies ?? {})) {
    if (!graph.nodes[sourceName]) continue;
    for (const dep of deps ?? []) {
      const source = dep.source ?? sourceName;
      const target = dep.target;
      if (typeof target !== 'string' || target.startsWith('npm:') || !graph.nodes[target] || source === target) continue;
      if (!edges.has(source)) edges.set(source, new Map());
      const targets = edges.get(source);
      if (!targets.has(target)) targets.set(target, new Set());
      targets.get(target).add(dep.type ?? 'static');
    }
  }
  return edges;
}

/** Shortest path from `from` (inclusive) to the first project that satisfies `matches`, or null. */
function findPathTo(edges, from, matches) {
  const previous = new Map([[from, null]]);
  const queue = [from];
  while (queue.length > 0) {
    const current = queue.shift();
    if (matches(current)) {
      const path = [];
      for (let p = current; p !== null; p = previous.get(p)) path.unshift(p);
      return path;
    }
    for (const next of edges.get(current)?.keys() ?? []) {
      if (!previous.has(next)) {
        previous.set(next, current);
        queue.push(next);
      }
    }
  }
  return null;
}

/**
 * Every project-to-project edge of `graph` that the constraints forbid.
 *
 * @param {ProjectGraph | { graph: ProjectGraph }} graphOrFile a project graph, or the content of `nx graph --file=x.json`
 * @param {DepConstraint[]} depConstraints the `depConstraints` option of `@nx/enforce-module-boundaries`
 * @returns {ForbiddenEdge[]} sorted by source, then target
 */
export function findForbiddenEdges(graphOrFile, depConstraints) {
  const graph = 'graph' in graphOrFile && graphOrFile.graph?.nodes ? graphOrFile.graph : graphOrFile;
  if (!graph?.nodes) throw new TypeError('findForbiddenEdges: not a project graph (no `nodes`)');
  if (!Array.isArray(depConstraints)) throw new TypeError('findForbiddenEdges: depConstraints must be an array');
  const edges = projectEdges(graph);
  /** @type {ForbiddenEdge[]} */
  const forbidden = [];

  for (const [source, targets] of edges) {
    const sourceTags = tagsOf(graph.nodes[source]);
    const constraints = findConstraintsFor(depConstraints, sourceTags);
    for (const [target, types] of targets) {
      const targetTags = tagsOf(graph.nodes[target]);
      const violations = [];
      if (depConstraints.length > 0 && constraints.length === 0) {
        violations.push('A project without tags matching at least one constraint cannot depend on any libraries');
      }
      for (const c of constraints) {
        const only = c.onlyDependOnLibsWithTags;
        if (only && only.length > 0 && !only.some((t) => hasTag(targetTags, t))) {
          violations.push(`A project tagged with "${sourceLabel(c)}" can only depend on libs tagged with ${quote(only)}`);
        } else if (only && only.length === 0 && targetTags.length > 0) {
          violations.push(`A project tagged with "${sourceLabel(c)}" cannot depend on any libs with tags`);
        }
        const not = c.notDependOnLibsWithTags;
        if (not && not.length > 0) {
          const path = findPathTo(edges, target, (p) => not.some((t) => hasTag(tagsOf(graph.nodes[p]), t)));
          if (path) {
            violations.push(
              `A project tagged with "${sourceLabel(c)}" can not depend on libs tagged with ${quote(not)} (${[source, ...path].join(' -> ')})`,
            );
          }
        }
      }
      if (violations.length > 0) {
        forbidden.push({ source, target, sourceTags, targetTags, types: [...types].sort(), violations });
      }
    }
  }
  return forbidden.sort((a, b) => a.source.localeCompare(b.source) || a.target.localeCompare(b.target));
}

/**
 * One line per forbidden edge: `source (tags) -> target (tags): rule violated[; rule violated] [kind]`
 * (the kind is shown only when it is not a plain static import).
 * @param {ForbiddenEdge} edge
 */
export function formatForbiddenEdge(edge) {
  const kinds = edge.types.filter((t) => t !== 'static');
  return (
    `${edge.source} (${edge.sourceTags.join(', ')}) -> ${edge.target} (${edge.targetTags.join(', ')}): ` +
    edge.violations.join('; ') +
    (kinds.length > 0 ? ` [${edge.types.join(', ')} dependency]` : '')
  );
}

/**
 * Number of workspace projects and of project-to-project edges (what findForbiddenEdges checks).
 * @param {ProjectGraph | { graph: ProjectGraph }} graphOrFile
 */
export function countProjectsAndEdges(graphOrFile) {
  const graph = 'graph' in graphOrFile && graphOrFile.graph?.nodes ? graphOrFile.graph : graphOrFile;
  let edgeCount = 0;
  for (const targets of projectEdges(graph).values()) edgeCount += targets.size;
  return { projects: Object.keys(graph.nodes).length, edges: edgeCount };
}
