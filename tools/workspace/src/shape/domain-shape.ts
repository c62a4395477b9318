import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { domainNames } from '../domain/domain-names';
import { filesUnder, type WorkspaceFiles } from '../workspace-files';

const pascal = (kebab: string): string => domainNames(kebab).className;
const isSpec = (file: string): boolean => file.endsWith('.spec.ts');

/** The Postgres schemas a Prisma schema declares in `schemas = [...]`. */
export function declaredSchemas(schemaPrisma: string): string[] {
  const list = /^\s*schemas\s*=\s*\[([^\]]*)\]/m.exec(schemaPrisma)?.[1] ?? '';
  return [...list.matchAll(/"([^"]+)"/g)].map((match) => match[1]);
}

/** The settings of a Prisma schema's `generator client { ... }` block, by name. */
function prismaGeneratorSettings(schemaPrisma: string): Record<string, string> {
  const block = /^generator client \{([^}]*)\}/m.exec(schemaPrisma)?.[1] ?? '';
  return Object.fromEntries([...block.matchAll(/^\s*(\w+)\s*=\s*(.+?)\s*$/gm)].map(([, name, value]) => [name, value]));
}

/** The domain template's: a process loads one query planner for all its Prisma clients, so they generate alike (ADR 41). */
export const TEMPLATE_GENERATOR = prismaGeneratorSettings(readFileSync(join(__dirname, '../domain/files/lib/prisma/schema.prisma.template'), 'utf8'));

/** The template's generator settings that a schema lacks or sets otherwise; it may add its own (`previewFeatures`). */
export function generatorDifferences(schemaPrisma: string): string[] {
  const settings = prismaGeneratorSettings(schemaPrisma);
  return Object.entries(TEMPLATE_GENERATOR).filter(([name, value]) => settings[name] !== value).map(([name]) => name);
}

/**
 * What in `libs/<name>` differs from the shape libs/README.md describes (empty when it has it): the files every domain
 * has, the only entries allowed in src/, vertical slices under features/, and the names of controllers, contracts,
 * service-api implementations, the consumer and background work.
 */
export function domainShapeProblems(files: WorkspaceFiles, name: string): string[] {
  const lib = `libs/${name}`;
  const problems: string[] = [];
  const has = (path: string): boolean => files.isFile(`${lib}/${path}`);
  const isDir = (path: string): boolean => !has(path) && files.children(`${lib}/${path}`).length > 0;
  const expectFile = (path: string, what: string): void => {
    if (!has(path)) problems.push(`${path} is missing: ${what}`);
  };

  expectFile('README.md', 'what the domain owns');
  expectFile('project.json', 'the Nx project');
  expectFile('prisma.config.ts', "the domain's Prisma project");
  expectFile('prisma/schema.prisma', "the domain's tables");
  expectFile('prisma/migrations/migration_lock.toml', "the domain's migrations");
  expectFile('src/index.ts', "the domain's public API");
  expectFile(`src/${name}.module.ts`, 'the Nest module');

  if (has('project.json')) {
    const project = JSON.parse(files.read(`${lib}/project.json`));
    if (project.name !== name) problems.push(`project.json: the project of libs/${name} is named "${name}"`);
    const bitro = project.metadata?.bitro;
    for (const key of ['injects', 'consumes']) {
      const list = bitro?.[key];
      if (!Array.isArray(list) || list.some((entry: unknown) => typeof entry !== 'string')) problems.push(`project.json: metadata.bitro.${key} must be a list of names`);
    }
  }
  if (has('prisma/schema.prisma')) {
    const schema = files.read(`${lib}/prisma/schema.prisma`);
    if (declaredSchemas(schema).length !== 1) problems.push('prisma/schema.prisma: declares one Postgres schema of its own (`schemas = ["<schema>"]`)');
    const differences = generatorDifferences(schema);
    if (differences.length > 0) problems.push(`prisma/schema.prisma: \`generator client\` sets ${differences.join(', ')} as the domain template does`);
  }

  const allowed = new Set(['index.ts', `${name}.module.ts`, `${name}.module.spec.ts`, `${name}-module.options.ts`, 'features', 'api', 'events', 'persistence', 'generated']);
  for (const entry of [...files.children(`${lib}/src`)].sort()) {
    if (!allowed.has(entry)) problems.push(`src/${entry}: not allowed at the top of src/ (only ${[...allowed].join(', ')})`);
  }

  const slices = [...files.children(`${lib}/src/features`)].sort();
  if (slices.length === 0) problems.push('src/features/ is missing: one folder per vertical slice');
  for (const slice of slices) {
    if (has(`src/features/${slice}`)) {
      problems.push(`src/features/${slice}: a file; features/ holds one folder per slice`);
      continue;
    }
    const sliceFiles = filesUnder(files, `${lib}/src/features/${slice}`);
    for (const file of sliceFiles.filter((path) => path.endsWith('.controller.ts') && !path.includes('/'))) {
      if (file !== `${slice}.controller.ts` && file !== `${slice}-admin.controller.ts`) problems.push(`src/features/${slice}/${file}: a slice's controllers are ${slice}.controller.ts and ${slice}-admin.controller.ts`);
    }
    for (const file of sliceFiles.filter((path) => path.endsWith('.contracts.ts'))) {
      if (file !== `${slice}.contracts.ts`) problems.push(`src/features/${slice}/${file}: a slice's route contracts are in ${slice}.contracts.ts`);
    }
    if (sliceFiles.some((path) => path.endsWith('.controller.ts')) && !sliceFiles.includes(`${slice}.contracts.ts`)) {
      problems.push(`src/features/${slice}/${slice}.contracts.ts is missing: the contracts of the slice's routes`);
    }
  }

  const sources = filesUnder(files, `${lib}/src`).map((path) => `src/${path}`);
  const code = sources.filter((path) => path.endsWith('.ts') && !isSpec(path));
  const textOf = (path: string): string => files.read(`${lib}/${path}`);

  for (const path of code) {
    const base = path.slice(path.lastIndexOf('/') + 1);
    const text = textOf(path);
    if (path.endsWith('.controller.ts') && !path.startsWith('src/features/')) problems.push(`${path}: routes belong to a slice under src/features/`);
    if (base.endsWith('.job.ts')) problems.push(`${path}: background work is <work>.schedule.ts (when) and <work>.ts (one run)`);
    if (base.endsWith('.subscriber.ts')) problems.push(`${path}: the domain's consumer is src/events/${name}.consumer.ts`);
    if (/\bextends PrismaClient\b/.test(text) && path !== `src/persistence/${name}-prisma.ts`) problems.push(`${path}: the domain's Prisma client is src/persistence/${name}-prisma.ts`);
    if (/@EventSubscriber\(/.test(text) && !/^src\/events\/[a-z0-9-]+\.consumer\.ts$/.test(path)) problems.push(`${path}: only a consumer in src/events/ subscribes to events`);
    if (/\bRepeatingJob\b/.test(text) && !base.endsWith('.schedule.ts')) problems.push(`${path}: a RepeatingJob is a <Work>Schedule in <work>.schedule.ts`);
    for (const match of text.matchAll(/\bclass (\w+Events)\b/g)) problems.push(`${path}: class ${match[1]}: name a use case for what it does, never *Events`);
    if (base.endsWith('.schedule.ts')) {
      const work = base.slice(0, -'.schedule.ts'.length);
      const dir = path.slice(0, path.lastIndexOf('/'));
      if (!new RegExp(`\\bclass ${pascal(work)}Schedule\\b`).test(text)) problems.push(`${path}: declares class ${pascal(work)}Schedule`);
      if (!has(`${dir}/${work}.ts`)) problems.push(`${dir}/${work}.ts is missing: ${pascal(work)}, one run of ${pascal(work)}Schedule`);
      else if (!new RegExp(`\\bclass ${pascal(work)}\\b`).test(textOf(`${dir}/${work}.ts`))) problems.push(`${dir}/${work}.ts: declares class ${pascal(work)}`);
    }
  }

  for (const path of code.filter((file) => file.startsWith('src/api/'))) {
    const service = /^src\/api\/([a-z0-9-]+)-api\.service\.ts$/.exec(path)?.[1];
    if (!service) problems.push(`${path}: src/api/ holds service-api implementations, <name>-api.service.ts`);
    else if (!new RegExp(`\\bclass ${pascal(service)}ApiService implements ${pascal(service)}Api\\b`).test(textOf(path))) {
      problems.push(`${path}: declares class ${pascal(service)}ApiService implements ${pascal(service)}Api`);
    }
  }

  if (isDir('src/events')) {
    for (const path of sources.filter((file) => file.startsWith('src/events/') && !isSpec(file))) {
      const consumer = /^src\/events\/([a-z0-9-]+)\.consumer\.ts$/.exec(path)?.[1];
      if (!consumer) problems.push(`${path}: src/events/ holds the consumers, <name>.consumer.ts`);
      else if (!new RegExp(`\\bclass ${pascal(consumer)}Consumer\\b`).test(textOf(path))) problems.push(`${path}: declares class ${pascal(consumer)}Consumer`);
    }
    if (!has(`src/events/${name}.consumer.ts`)) problems.push(`src/events/${name}.consumer.ts is missing: the domain's consumer`);
  }

  return problems;
}

/** The names of the projects under libs/ tagged `type:domain`, from their project.json. */
export function domainLibraries(files: WorkspaceFiles): string[] {
  return filesUnder(files, 'libs')
    .filter((path) => path === 'project.json' || path.endsWith('/project.json'))
    .filter((path) => JSON.parse(files.read(`libs/${path}`)).tags?.includes('type:domain'))
    .map((path) => path.slice(0, -'/project.json'.length))
    .sort();
}
