/**
 * Published event contracts are versioned: the JSON Schema of every contract is committed under
 * docs/modules/events/, and the current schemas are compared with those of the base the branch started from
 * (`git merge-base HEAD origin/main` when there is an origin/main, else HEAD's committed snapshots; `--base <rev>`
 * chooses another). A `vN` whose schema changed in a breaking way (./event-compat.mjs) fails: the change must be a
 * new contract `vN+1`. A contract may disappear only once a higher version of it exists.
 */
import { spawnSync } from 'node:child_process';
import { breakingChanges } from './event-compat.mjs';
import { EVENT_NAME } from './contract-catalog.mjs';

export const EVENTS_DIR = 'docs/modules/events';
export const SNAPSHOT_SUFFIX = '.schema.json';

const versionOf = (name) => Number(name.match(EVENT_NAME)?.[1] ?? 0);
const unversioned = (name) => name.replace(/\.v[0-9]+$/, '');

/**
 * @param {Map<string, object>} base the committed schemas of the base, by event name
 * @param {Map<string, object>} current the schemas of the code now
 * @returns {{ event: string, changes: string[] }[]} every breaking change, by event
 */
export function checkEventVersions(base, current) {
  const problems = [];
  for (const [name, before] of [...base].sort(([a], [b]) => a.localeCompare(b))) {
    const after = current.get(name);
    if (after) {
      const changes = breakingChanges(before, after);
      if (changes.length > 0) problems.push({ event: name, changes });
      continue;
    }
    const successor = [...current.keys()].some((other) => unversioned(other) === unversioned(name) && versionOf(other) > versionOf(name));
    if (!successor) problems.push({ event: name, changes: ['the contract was removed, and no higher version of it exists'] });
  }
  return problems;
}

export function formatEventVersionProblems(problems, baseLabel) {
  const lines = [`docs:modules: ${problems.length} published event contract(s) changed in a breaking way (compared with ${baseLabel}):`];
  for (const { event, changes } of problems) {
    lines.push(`  ${event}:`, ...changes.map((change) => `    ${change}`));
  }
  const example = problems[0].event;
  lines.push(
    `A published vN contract keeps its schema: restore it and publish the change as a new contract (e.g. ${unversioned(example)}.v${versionOf(example) + 1}) alongside it.`,
  );
  return lines.join('\n');
}

function git(root, args) {
  const result = spawnSync('git', args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return result.status === 0 ? result.stdout : undefined;
}

/**
 * The committed snapshots of the base revision.
 * @returns {{ label: string, schemas: Map<string, object> } | { label: null, reason: string }}
 */
export function loadBaseSnapshots(root, baseRef) {
  if (git(root, ['rev-parse', '--is-inside-work-tree'])?.trim() !== 'true') return { label: null, reason: 'not a git work tree' };
  let base = baseRef;
  let label = baseRef;
  if (!base && git(root, ['rev-parse', '--verify', '--quiet', 'origin/main'])) {
    base = git(root, ['merge-base', 'HEAD', 'origin/main'])?.trim();
    label = base && `merge-base with origin/main (${base.slice(0, 12)})`;
  }
  if (!base) {
    base = 'HEAD';
    label = 'the snapshots committed in HEAD';
  }
  const listing = git(root, ['ls-tree', '-r', '--name-only', base, '--', `${EVENTS_DIR}/`]);
  if (listing === undefined) return { label: null, reason: `${base} cannot be read` };
  const schemas = new Map();
  for (const path of listing.split('\n').filter((p) => p.endsWith(SNAPSHOT_SUFFIX))) {
    const text = git(root, ['show', `${base}:${path}`]);
    if (text !== undefined) schemas.set(path.slice(EVENTS_DIR.length + 1, -SNAPSHOT_SUFFIX.length), JSON.parse(text));
  }
  return { label, schemas };
}
