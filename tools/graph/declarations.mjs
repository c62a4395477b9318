/**
 * Contracts as boundaries (ADR 0024): a domain library or app declares in its project.json
 * `metadata.bitro = { "injects": [service-api tokens], "consumes": [event names] }`, and the declaration must be
 * exactly what its code does (facts from tools/docs/module-facts.mjs):
 * - a token injected or an event consumed that is not declared fails (the new dependency is made visible, and
 *   reviewed, in project.json);
 * - a declared token or event that is not used fails as well: the declaration is the documented boundary, a stale
 *   entry would allow a dependency nobody reviewed;
 * - a name that is no token or event contract at all fails, and so does a domain library without `metadata.bitro`.
 * Pure: the caller reads the workspace.
 */

/**
 * @typedef {{ name: string, tags: string[], bitro?: { injects?: unknown, consumes?: unknown }, projectJson: string }} DeclaringProject
 * @typedef {{ injects: { token: string, file: string, line: number }[], consumes: { event: string, file: string, line: number }[] }} UsedFacts
 */

const KINDS = [
  { key: 'injects', use: 'injects', noun: 'token', nameOf: (use) => use.token, known: 'tokens' },
  { key: 'consumes', use: 'consumes', noun: 'event', nameOf: (use) => use.event, known: 'events' },
];

const isStringArray = (value) => Array.isArray(value) && value.every((v) => typeof v === 'string');

/**
 * @param {DeclaringProject[]} projects the projects with facts (domain libraries and apps)
 * @param {Map<string, UsedFacts>} facts by project name
 * @param {{ tokens: Set<string>, events: Set<string> }} known every service-api token and event contract name
 * @returns {string[]} one line per problem, sorted by project
 */
export function checkDeclarations(projects, facts, known) {
  const problems = [];
  for (const project of [...projects].sort((a, b) => a.name.localeCompare(b.name))) {
    const used = facts.get(project.name) ?? { injects: [], consumes: [] };
    const bitro = project.bitro;
    const where = `${project.projectJson} metadata.bitro`;
    if (bitro === undefined && project.tags.includes('type:domain')) {
      problems.push(`${project.name}: ${project.projectJson} has no metadata.bitro (a domain declares { "injects": [...], "consumes": [...] }, empty lists included)`);
    }
    for (const kind of KINDS) {
      const declared = bitro?.[kind.key] ?? [];
      if (!isStringArray(declared)) {
        problems.push(`${project.name}: ${where}.${kind.key} must be an array of names`);
        continue;
      }
      const uses = new Map();
      for (const use of used[kind.use]) if (!uses.has(kind.nameOf(use))) uses.set(kind.nameOf(use), use);
      for (const [name, use] of [...uses].sort(([a], [b]) => a.localeCompare(b))) {
        if (!declared.includes(name)) problems.push(`${project.name}: ${kind.key} ${name} (${use.file}:${use.line}) but ${where}.${kind.key} does not declare it`);
      }
      for (const name of [...new Set(declared)].sort()) {
        if (!known[kind.known].has(name)) problems.push(`${project.name}: ${where}.${kind.key} declares ${name}, which is no ${kind.noun} of the contract libraries`);
        else if (!uses.has(name)) problems.push(`${project.name}: ${where}.${kind.key} declares ${name}, which its code never ${kind.key === 'injects' ? 'injects' : 'consumes'}: remove it`);
      }
      if (new Set(declared).size !== declared.length) problems.push(`${project.name}: ${where}.${kind.key} lists a name twice`);
    }
  }
  return problems;
}

/** How many declared names were checked (for the summary line). */
export function countDeclarations(projects) {
  return projects.reduce((sum, p) => sum + KINDS.reduce((n, kind) => n + (isStringArray(p.bitro?.[kind.key]) ? p.bitro[kind.key].length : 0), 0), 0);
}
