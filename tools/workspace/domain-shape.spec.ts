/**
 * Every `type:domain` library under libs/ has the one shape of libs/README.md (checked by src/shape/domain-shape.ts),
 * and the check itself passes a generated domain and names each kind of difference.
 */
import { resolve } from 'node:path';
import type { Tree } from '@nx/devkit';
import { FsTree } from 'nx/src/generators/tree';
import { describe, expect, it } from 'vitest';
import { domainGenerator } from './src';
import { declaredSchemas, domainLibraries, domainShapeProblems, generatorDifferences, TEMPLATE_GENERATOR } from './src/shape/domain-shape';
import { diskFiles, treeFiles } from './src/workspace-files';

const root = resolve(import.meta.dirname, '../..');

const disk = diskFiles(root);

/** A generated `kudos` domain in memory over the real workspace (nothing is written). */
async function generated(): Promise<Tree> {
  const tree = new FsTree(root, false);
  await domainGenerator(tree, { name: 'kudos' });
  return tree;
}

describe('every domain library has the shape of libs/README.md', () => {
  const domains = domainLibraries(disk);

  it('finds the domain libraries by their type:domain tag', () => {
    expect(domains).toEqual(expect.arrayContaining(['wallet', 'user', 'giftcard']));
  });

  it.each(domains)('libs/%s', (name) => {
    expect(domainShapeProblems(disk, name)).toEqual([]);
  });

  it('each domain has a Postgres schema of its own', () => {
    const schemas = domains.flatMap((name) => declaredSchemas(disk.read(`libs/${name}/prisma/schema.prisma`)));
    expect(schemas).toHaveLength(new Set(schemas).size);
  });

  it("libs/shared/messaging's Prisma client is generated as the domains' are (one query planner per process)", () => {
    expect(TEMPLATE_GENERATOR).toMatchObject({ compilerBuild: '"small"' });
    expect(generatorDifferences(disk.read('libs/shared/messaging/prisma/schema.prisma'))).toEqual([]);
  });
});

describe('the shape check', () => {
  it('passes a generated domain, also once it has a consumer and background work', async () => {
    const tree = await generated();
    expect(domainShapeProblems(treeFiles(tree), 'kudos')).toEqual([]);

    tree.write('libs/kudos/src/events/kudos.consumer.ts', '@EventSubscriber()\nexport class KudosConsumer {}\n');
    tree.write('libs/kudos/src/events/points-mail.consumer.ts', '@EventSubscriber()\nexport class PointsMailConsumer {}\n');
    tree.write('libs/kudos/src/features/points/points.contracts.ts', '');
    tree.write('libs/kudos/src/features/points/points-admin.controller.ts', '');
    tree.write('libs/kudos/src/features/points/points-expiry.schedule.ts', 'export class PointsExpirySchedule extends RepeatingJob {}\n');
    tree.write('libs/kudos/src/features/points/points-expiry.ts', 'export class PointsExpiry {}\n');
    tree.write('libs/kudos/src/api/kudos-admin-api.service.ts', 'export class KudosAdminApiService implements KudosAdminApi {}\n');
    tree.write('libs/kudos/src/kudos-module.options.ts', '');
    expect(domainShapeProblems(treeFiles(tree), 'kudos')).toEqual([]);
  });

  it('names every difference from the shape', async () => {
    const tree = await generated();
    tree.delete('libs/kudos/README.md');
    tree.write('libs/kudos/project.json', JSON.stringify({ name: 'kudos', tags: ['type:domain'] }));
    tree.write('libs/kudos/prisma/schema.prisma', 'datasource db {\n  schemas = ["kudos", "public"]\n}\n');
    tree.write('libs/kudos/src/http/kudos.controller.ts', '');
    tree.write('libs/kudos/src/features/kudos/other.controller.ts', '');
    tree.write('libs/kudos/src/features/kudos/items.contracts.ts', '');
    tree.write('libs/kudos/src/features/notes.ts', '');
    tree.write('libs/kudos/src/features/sweeps/sweep.job.ts', 'export class SweepJob extends RepeatingJob {}\n');
    tree.write('libs/kudos/src/features/sweeps/expiry.schedule.ts', 'export class ExpiryTimer {}\n');
    tree.write('libs/kudos/src/events/wallet-events.ts', '@EventSubscriber()\nexport class WalletEvents {}\n');
    tree.write('libs/kudos/src/events/wallet-credited.subscriber.ts', '');
    tree.write('libs/kudos/src/events/points.consumer.ts', 'export class PointConsumer {}\n');
    tree.write('libs/kudos/src/persistence/db.ts', 'export class Db extends PrismaClient {}\n');
    tree.write('libs/kudos/src/api/kudos.service.ts', '');
    tree.write('libs/kudos/src/api/points-api.service.ts', 'export class PointsService {}\n');

    expect(domainShapeProblems(treeFiles(tree), 'kudos')).toEqual([
      'README.md is missing: what the domain owns',
      'project.json: metadata.bitro.injects must be a list of names',
      'project.json: metadata.bitro.consumes must be a list of names',
      'prisma/schema.prisma: declares one Postgres schema of its own (`schemas = ["<schema>"]`)',
      'prisma/schema.prisma: `generator client` sets provider, output, moduleFormat, compilerBuild as the domain template does',
      'src/http: not allowed at the top of src/ (only index.ts, kudos.module.ts, kudos.module.spec.ts, kudos-module.options.ts, features, api, events, persistence, generated)',
      "src/features/kudos/other.controller.ts: a slice's controllers are kudos.controller.ts and kudos-admin.controller.ts",
      "src/features/kudos/items.contracts.ts: a slice's route contracts are in kudos.contracts.ts",
      'src/features/notes.ts: a file; features/ holds one folder per slice',
      "src/events/wallet-credited.subscriber.ts: the domain's consumer is src/events/kudos.consumer.ts",
      'src/events/wallet-events.ts: only a consumer in src/events/ subscribes to events',
      'src/events/wallet-events.ts: class WalletEvents: name a use case for what it does, never *Events',
      'src/features/sweeps/expiry.schedule.ts: declares class ExpirySchedule',
      'src/features/sweeps/expiry.ts is missing: Expiry, one run of ExpirySchedule',
      'src/features/sweeps/sweep.job.ts: background work is <work>.schedule.ts (when) and <work>.ts (one run)',
      'src/features/sweeps/sweep.job.ts: a RepeatingJob is a <Work>Schedule in <work>.schedule.ts',
      'src/http/kudos.controller.ts: routes belong to a slice under src/features/',
      "src/persistence/db.ts: the domain's Prisma client is src/persistence/kudos-prisma.ts",
      'src/api/kudos.service.ts: src/api/ holds service-api implementations, <name>-api.service.ts',
      'src/api/points-api.service.ts: declares class PointsApiService implements PointsApi',
      'src/events/points.consumer.ts: declares class PointsConsumer',
      'src/events/wallet-credited.subscriber.ts: src/events/ holds the consumers, <name>.consumer.ts',
      'src/events/wallet-events.ts: src/events/ holds the consumers, <name>.consumer.ts',
      "src/events/kudos.consumer.ts is missing: the domain's consumer",
    ]);
  });
});
