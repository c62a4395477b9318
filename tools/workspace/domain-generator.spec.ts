/**
 * The generators in memory: each test runs them on a tree over the real workspace whose changes are never written
 * (FsTree without flushChanges), so nothing on disk changes. domain-in-copy.spec.ts runs them for real.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Tree } from '@nx/devkit';
import { FsTree } from 'nx/src/generators/tree';
import { describe, expect, it } from 'vitest';
import { domainGenerator, removeDomainGenerator } from './src';

const root = resolve(import.meta.dirname, '../..');
const workspace = (): Tree => new FsTree(root, false);
const changesOf = (tree: Tree) => Object.fromEntries(tree.listChanges().map((change) => [change.path, change.type]));
const read = (tree: Tree, path: string): string => tree.read(path, 'utf-8') ?? '';

describe('domain generator', () => {
  it.each([
    ['Loyalty', /kebab-case/],
    ['gift_points', /kebab-case/],
    ['gift--points', /kebab-case/],
    ['loyalty-', /kebab-case/],
    ['2fa', /kebab-case/],
    ['', /kebab-case/],
    ['a'.repeat(41), /at most 40 characters/],
    ['messaging', /reserved/],
    ['shared', /reserved/],
    ['class', /reserved/],
    ['pg-stats', /reserved/],
    ['wallet', /a project named "wallet" exists/],
    ['fault-drills', /a project named "fault-drills" exists/],
  ])('refuses the name %j with a clear error', async (name, why) => {
    const tree = workspace();
    await expect(domainGenerator(tree, { name })).rejects.toThrow(why);
    await expect(domainGenerator(tree, { name })).rejects.toThrow(`Cannot create domain "${name}"`);
    expect(tree.listChanges()).toEqual([]);
  });

  it('writes a domain in the shape of libs/README.md, with every spelling of a two-word name', async () => {
    const tree = workspace();
    await domainGenerator(tree, { name: 'gift-points' }, new Date('2026-12-05T06:30:09.123Z'));

    const lib = [
      'README.md',
      'project.json',
      'tsconfig.json',
      'eslint.config.mjs',
      'vitest.config.mts',
      'prisma.config.ts',
      'prisma/schema.prisma',
      'prisma/migrations/migration_lock.toml',
      'prisma/migrations/20261205063009_init/migration.sql',
      'src/index.ts',
      'src/gift-points.module.ts',
      'src/features/gift-points/gift-points.contracts.ts',
      'src/features/gift-points/gift-points.controller.ts',
      'src/features/gift-points/item-creation.ts',
      'src/features/gift-points/item-lookup.ts',
      'src/api/gift-points-api.service.ts',
      'src/persistence/gift-points-prisma.ts',
      'src/persistence/item-view.ts',
      'test/gift-points-module.spec.ts',
    ].map((file) => `libs/gift-points/${file}`);
    const serviceApi = ['index.ts', 'gift-points.api.ts', 'gift-points.contracts.ts', 'gift-points.events.ts'].map((file) => `libs/service-api/src/gift-points/${file}`);
    expect(changesOf(tree)).toEqual({
      ...Object.fromEntries([...lib, ...serviceApi].map((path) => [path, 'CREATE'])),
      'tsconfig.base.json': 'UPDATE',
      'libs/service-api/src/index.ts': 'UPDATE',
      'apps/bitro-api/src/app/domains.module.ts': 'UPDATE',
      'apps/bitro-api/src/app/api-info.ts': 'UPDATE',
    });
    expect(read(tree, 'apps/bitro-api/src/app/api-info.ts')).toContain("    'gift-points': 'Gift points: items of the signed-in user.',\n  },\n};");

    expect(JSON.parse(read(tree, 'libs/gift-points/project.json'))).toMatchObject({
      name: 'gift-points',
      sourceRoot: 'libs/gift-points/src',
      tags: ['type:domain', 'scope:bitro'],
      targets: { typecheck: {}, test: {} },
      metadata: { bitro: { injects: [], consumes: [] } },
    });
    expect(read(tree, 'libs/gift-points/prisma.config.ts')).toContain("domainPrismaConfig('gift_points')");
    expect(read(tree, 'libs/gift-points/prisma/schema.prisma')).toContain('schemas  = ["gift_points"]');
    expect(read(tree, 'libs/gift-points/src/index.ts')).toBe("export { GiftPointsModule } from './gift-points.module';\n");
    expect(read(tree, 'libs/service-api/src/gift-points/gift-points.api.ts')).toContain("export const GIFT_POINTS_API = Symbol.for('bitro.GiftPointsApi');");
    expect(read(tree, 'libs/service-api/src/gift-points/gift-points.events.ts')).toContain("export const giftPointsItemCreatedV1 = defineEvent(\n  'gift-points.item-created.v1',");
    expect(read(tree, 'libs/gift-points/src/features/gift-points/gift-points.contracts.ts')).toContain("path: '/v1/gift-points/items/:id'");
    expect(read(tree, 'libs/service-api/src/index.ts')).toMatch(/\nexport \* from '\.\/gift-points';\n$/);
    expect(read(tree, 'tsconfig.base.json')).toContain('\n      "@bitro/gift-points": ["./libs/gift-points/src/index.ts"],\n');
    const domainsModule = read(tree, 'apps/bitro-api/src/app/domains.module.ts');
    expect(domainsModule).toContain("\nimport { GiftPointsModule } from '@bitro/gift-points';\n");
    expect(domainsModule).toMatch(/const DOMAINS = \[[^\]]*, GiftPointsModule\]/);
  });

  it('then remove-domain leaves every file as it was', async () => {
    const tree = workspace();
    await domainGenerator(tree, { name: 'kudos' });
    await removeDomainGenerator(tree, { name: 'kudos' });

    for (const change of tree.listChanges()) {
      expect(change.type, change.path).toBe('UPDATE');
      expect(change.content?.toString(), change.path).toBe(readFileSync(join(root, change.path), 'utf-8'));
    }
  });

  it('removes a domain whose generated client exists, and refuses one with files it did not write unless forced', async () => {
    const tree = workspace();
    await domainGenerator(tree, { name: 'kudos' });
    tree.write('libs/kudos/src/generated/prisma/client.ts', '// generated');
    tree.write('libs/kudos/src/features/kudos/item-renaming.ts', 'export {};\n');
    tree.write('libs/service-api/src/kudos/kudos-admin.api.ts', 'export {};\n');

    const refused = removeDomainGenerator(tree, { name: 'kudos' });
    await expect(refused).rejects.toThrow(/Cannot remove domain "kudos": it has files the domain generator did not write/);
    await expect(removeDomainGenerator(tree, { name: 'kudos' })).rejects.toThrow(/libs\/kudos\/src\/features\/kudos\/item-renaming\.ts\n {2}libs\/service-api\/src\/kudos\/kudos-admin\.api\.ts/);
    expect(tree.exists('libs/kudos/project.json')).toBe(true);

    await removeDomainGenerator(tree, { name: 'kudos', force: true });
    expect(tree.exists('libs/kudos')).toBe(false);
    expect(tree.exists('libs/service-api/src/kudos')).toBe(false);
  });

  it('remove-domain refuses what is not a domain, and a domain it did not generate', async () => {
    await expect(removeDomainGenerator(workspace(), { name: 'service-api' })).rejects.toThrow('there is no project "service-api" tagged type:domain');
    await expect(removeDomainGenerator(workspace(), { name: 'no-such-domain' })).rejects.toThrow('there is no project "no-such-domain" tagged type:domain');
    await expect(removeDomainGenerator(workspace(), { name: 'image' })).rejects.toThrow(/files the domain generator did not write/);
  });
});
