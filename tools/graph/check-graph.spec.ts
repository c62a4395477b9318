import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findForbiddenEdges, formatForbiddenEdge, loadDepConstraints, workspaceRoot } from './check-graph.mjs';
import { hasTag } from './forbidden-edges.mjs';

type Constraint = Parameters<typeof findForbiddenEdges>[1][number];

const depConstraints: Constraint[] = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:domain', 'type:shared'] },
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:shared'] },
  { sourceTag: 'type:shared', onlyDependOnLibsWithTags: ['type:shared'] },
  { sourceTag: 'scope:bitro', onlyDependOnLibsWithTags: ['scope:bitro', 'scope:shared'] },
  { sourceTag: 'scope:bitcoin', onlyDependOnLibsWithTags: ['scope:bitcoin', 'scope:shared'] },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
];

const node = (name: string, tags: string[], type = 'lib') => ({ name, type, data: { root: `libs/${name}`, tags } });
const dep = (source: string, target: string, type = 'static') => ({ source, target, type });

/** The shape `nx graph --file=x.json` writes. */
function graphFile(nodes: ReturnType<typeof node>[], deps: ReturnType<typeof dep>[]) {
  const dependencies: Record<string, ReturnType<typeof dep>[]> = Object.fromEntries(nodes.map((n) => [n.name, []]));
  for (const d of deps) dependencies[d.source].push(d);
  return { graph: { nodes: Object.fromEntries(nodes.map((n) => [n.name, n])), dependencies } };
}

const projects = [
  node('api', ['type:app', 'scope:bitro'], 'app'),
  node('user', ['type:domain', 'scope:bitro']),
  node('wallet', ['type:domain', 'scope:bitro']),
  node('config', ['type:shared', 'scope:shared']),
  node('gateway', ['type:app', 'scope:bitcoin'], 'app'),
  node('bitcoin', ['type:shared', 'scope:bitcoin']),
];

describe('findForbiddenEdges', () => {
  it('accepts a graph whose edges all satisfy every constraint, and ignores npm edges', () => {
    const file = graphFile(projects, [
      dep('api', 'user'),
      dep('api', 'config'),
      dep('user', 'config'),
      dep('gateway', 'bitcoin'),
      dep('gateway', 'config'),
      dep('config', 'npm:zod'),
      dep('user', 'npm:@nestjs/common'),
    ]);
    expect(findForbiddenEdges(file, depConstraints)).toEqual([]);
    // the bare graph (without the `graph` wrapper of the file) works too
    expect(findForbiddenEdges(file.graph, depConstraints)).toEqual([]);
  });

  it('reports domain -> domain, shared -> domain and cross-scope edges with every violated rule', () => {
    const forbidden = findForbiddenEdges(
      graphFile(projects, [
        dep('user', 'wallet'),
        dep('config', 'user'),
        dep('gateway', 'user'),
        dep('api', 'bitcoin', 'implicit'),
        dep('api', 'user'),
      ]),
      depConstraints,
    );
    expect(forbidden.map((e) => `${e.source}->${e.target}`)).toEqual(['api->bitcoin', 'config->user', 'gateway->user', 'user->wallet']);
    const bySource = Object.fromEntries(forbidden.map((e) => [e.source, e]));

    expect(bySource.user.violations).toEqual(['A project tagged with "type:domain" can only depend on libs tagged with "type:shared"']);
    // a source matching several constraints must satisfy all of them: both of config's rules are reported
    expect(bySource.config.violations).toEqual([
      'A project tagged with "type:shared" can only depend on libs tagged with "type:shared"',
      'A project tagged with "scope:shared" can only depend on libs tagged with "scope:shared"',
    ]);
    expect(bySource.gateway.violations).toEqual([
      'A project tagged with "scope:bitcoin" can only depend on libs tagged with "scope:bitcoin", "scope:shared"',
    ]);
    // the type rule allows api -> bitcoin (type:shared); only the scope rule forbids it
    expect(bySource.api.violations).toEqual([
      'A project tagged with "scope:bitro" can only depend on libs tagged with "scope:bitro", "scope:shared"',
    ]);
    expect(bySource.api.types).toEqual(['implicit']);
  });

  it('prints an edge as `source (tags) -> target (tags): rule violated`', () => {
    const [edge] = findForbiddenEdges(graphFile(projects, [dep('user', 'wallet')]), depConstraints);
    expect(formatForbiddenEdge(edge)).toBe(
      'user (type:domain, scope:bitro) -> wallet (type:domain, scope:bitro): ' +
        'A project tagged with "type:domain" can only depend on libs tagged with "type:shared"',
    );
    const [implicit] = findForbiddenEdges(graphFile(projects, [dep('api', 'bitcoin', 'implicit')]), depConstraints);
    expect(formatForbiddenEdge(implicit)).toMatch(/^api \(type:app, scope:bitro\) -> bitcoin \(type:shared, scope:bitcoin\): .* \[implicit dependency\]$/);
  });

  it('forbids every dependency of a project that no constraint applies to (as the Nx rule does)', () => {
    const forbidden = findForbiddenEdges(
      graphFile([...projects, node('untagged', []), node('other', ['type:other'])], [dep('untagged', 'config'), dep('other', 'config')]),
      depConstraints,
    );
    expect(forbidden.map((e) => [e.source, e.violations])).toEqual([
      ['other', ['A project without tags matching at least one constraint cannot depend on any libraries']],
      ['untagged', ['A project without tags matching at least one constraint cannot depend on any libraries']],
    ]);
    // without any constraint, nothing is forbidden
    expect(findForbiddenEdges(graphFile([node('untagged', []), ...projects], [dep('untagged', 'config')]), [])).toEqual([]);
  });

  it('applies an empty onlyDependOnLibsWithTags as "no tagged target at all"', () => {
    const constraints: Constraint[] = [{ sourceTag: 'type:leaf', onlyDependOnLibsWithTags: [] }];
    const nodes = [node('leaf', ['type:leaf']), node('tagged', ['type:x']), node('bare', [])];
    const forbidden = findForbiddenEdges(graphFile(nodes, [dep('leaf', 'tagged'), dep('leaf', 'bare')]), constraints);
    expect(forbidden.map((e) => [e.target, e.violations])).toEqual([['tagged', ['A project tagged with "type:leaf" cannot depend on any libs with tags']]]);
  });

  it('checks notDependOnLibsWithTags transitively, like Nx', () => {
    const constraints: Constraint[] = [
      { sourceTag: 'scope:bitro', notDependOnLibsWithTags: ['scope:bitcoin'] },
      { sourceTag: 'scope:shared', notDependOnLibsWithTags: ['scope:bitcoin'] },
      { sourceTag: 'scope:bitcoin', notDependOnLibsWithTags: ['scope:bitro'] },
    ];
    const nodes = [node('a', ['scope:bitro']), node('b', ['scope:shared']), node('c', ['scope:bitcoin'])];
    const forbidden = findForbiddenEdges(graphFile(nodes, [dep('a', 'b'), dep('b', 'c')]), constraints);
    expect(forbidden.map((e) => [`${e.source}->${e.target}`, e.violations])).toEqual([
      ['a->b', ['A project tagged with "scope:bitro" can not depend on libs tagged with "scope:bitcoin" (a -> b -> c)']],
      ['b->c', ['A project tagged with "scope:shared" can not depend on libs tagged with "scope:bitcoin" (b -> c)']],
    ]);
  });

  it('supports allSourceTags (all must match) and wildcard, glob and regex tags', () => {
    const constraints: Constraint[] = [
      { allSourceTags: ['type:domain', 'scope:bitro'], onlyDependOnLibsWithTags: ['/^type:(shared|contract)$/'] },
      { sourceTag: 'type:*', onlyDependOnLibsWithTags: ['*'] },
    ];
    const nodes = [
      node('user', ['type:domain', 'scope:bitro']),
      node('btc', ['type:domain', 'scope:bitcoin']),
      node('contract', ['type:contract']),
      node('wallet', ['type:domain', 'scope:bitro']),
    ];
    const forbidden = findForbiddenEdges(
      graphFile(nodes, [dep('user', 'contract'), dep('user', 'wallet'), dep('btc', 'wallet')]),
      constraints,
    );
    expect(forbidden.map((e) => [`${e.source}->${e.target}`, e.violations])).toEqual([
      ['user->wallet', ['A project tagged with "type:domain" and "scope:bitro" can only depend on libs tagged with "/^type:(shared|contract)$/"']],
    ]);
    expect(hasTag(['scope:bitro'], 'scope:*')).toBe(true);
    expect(hasTag(['scope:bitro'], 'type:*')).toBe(false);
    expect(hasTag([], '*')).toBe(true);
  });

  it('ignores self edges, edges to unknown nodes and duplicate edges (merging their kinds)', () => {
    const forbidden = findForbiddenEdges(
      graphFile(projects, [dep('user', 'user'), dep('user', 'missing'), dep('user', 'wallet'), dep('user', 'wallet', 'dynamic')]),
      depConstraints,
    );
    expect(forbidden).toHaveLength(1);
    expect(forbidden[0].types).toEqual(['dynamic', 'static']);
  });
});

describe('loadDepConstraints', () => {
  it('returns the very array the root eslint.config.mjs gives @nx/enforce-module-boundaries', async () => {
    const depConstraints = await loadDepConstraints();
    // (a computed URL: the root config is no project, a literal relative import of it breaks the Nx rule)
    const { default: config } = (await import(pathToFileURL(join(workspaceRoot, 'eslint.config.mjs')).href)) as { default: { rules?: Record<string, unknown> }[] };
    const ruleOptions = config
      .map((block) => block.rules?.['@nx/enforce-module-boundaries'])
      .filter((rule): rule is [string, { depConstraints: unknown }] => Array.isArray(rule));
    expect(ruleOptions.length).toBeGreaterThan(0);
    for (const [, options] of ruleOptions) expect(options.depConstraints).toEqual(depConstraints);
  });
});
