import { createTree } from '@nx/devkit/testing';
import { describe, expect, it } from 'vitest';
import { API_INFO, DOMAINS_MODULE, SERVICE_API_INDEX, TSCONFIG_BASE } from '../workspace-paths';
import { addApiTag, removeApiTag } from './api-tag';
import { addToDomains, isInDomains, removeFromDomains } from './domains-module';
import { addServiceApiExport, removeServiceApiExport } from './service-api-export';
import { addTsconfigPath, hasTsconfigPath, removeTsconfigPath } from './tsconfig-path';

const loyalty = { className: 'LoyaltyModule', importPath: '@bitro/loyalty' };

/** Writes `before` to `path`, adds, checks the result, removes, and checks that `before` is back byte for byte. */
function roundTrip(path: string, before: string, add: (tree: ReturnType<typeof createTree>) => void, remove: (tree: ReturnType<typeof createTree>) => void): string {
  const tree = createTree();
  tree.write(path, before);
  add(tree);
  const added = tree.read(path, 'utf-8') ?? '';
  remove(tree);
  expect(tree.read(path, 'utf-8')).toBe(before);
  return added;
}

const domainsModule = (imports: string, domains: string): string =>
  `import { Global, Module } from '@nestjs/common';\n${imports}import { adminStandingProvider } from './admin-standing.provider';\n\nconst DOMAINS = ${domains};\n\n@Global()\n@Module({ imports: DOMAINS })\nexport class DomainsModule {}\n`;

describe("bitro-api's DOMAINS", () => {
  const imports = "import { AuditModule } from '@bitro/audit';\nimport { WalletModule } from '@bitro/wallet';\n";

  it('adds the import among the @bitro imports in path order, and the module at the end of a one-line array', () => {
    const added = roundTrip(DOMAINS_MODULE, domainsModule(imports, '[WalletModule, AuditModule]'), (tree) => addToDomains(tree, loyalty), (tree) => removeFromDomains(tree, loyalty));
    expect(added).toBe(
      domainsModule("import { AuditModule } from '@bitro/audit';\nimport { LoyaltyModule } from '@bitro/loyalty';\nimport { WalletModule } from '@bitro/wallet';\n", '[WalletModule, AuditModule, LoyaltyModule]'),
    );
  });

  it.each([
    ['one element per line', '[\n  WalletModule,\n  AuditModule\n]', '[\n  WalletModule,\n  AuditModule,\n  LoyaltyModule\n]'],
    ['one element per line with a trailing comma', '[\n  WalletModule,\n  AuditModule,\n]', '[\n  WalletModule,\n  AuditModule,\n  LoyaltyModule,\n]'],
    ['an empty array', '[]', '[LoyaltyModule]'],
  ])('adds to and removes from %s', (_, domains, expected) => {
    const added = roundTrip(DOMAINS_MODULE, domainsModule(imports, domains), (tree) => addToDomains(tree, loyalty), (tree) => removeFromDomains(tree, loyalty));
    expect(added).toContain(`const DOMAINS = ${expected};`);
  });

  it('puts an import that sorts first before the first @bitro import', () => {
    const added = roundTrip(DOMAINS_MODULE, domainsModule(imports, '[WalletModule]'), (tree) => addToDomains(tree, { className: 'AaaModule', importPath: '@bitro/aaa' }), (tree) => removeFromDomains(tree, { className: 'AaaModule', importPath: '@bitro/aaa' }));
    expect(added).toContain("from '@nestjs/common';\nimport { AaaModule } from '@bitro/aaa';\nimport { AuditModule }");
  });

  it('removes the first element of several, and tells whether a module is in', () => {
    const tree = createTree();
    tree.write(DOMAINS_MODULE, domainsModule(imports, '[LoyaltyModule, WalletModule]'));
    expect(isInDomains(tree, 'LoyaltyModule')).toBe(true);
    removeFromDomains(tree, loyalty);
    expect(tree.read(DOMAINS_MODULE, 'utf-8')).toContain('const DOMAINS = [WalletModule];');
    expect(isInDomains(tree, 'LoyaltyModule')).toBe(false);
  });

  it('says which file lacks DOMAINS', () => {
    const tree = createTree();
    tree.write(DOMAINS_MODULE, 'export const OTHER = [];\n');
    expect(() => addToDomains(tree, loyalty)).toThrow(`${DOMAINS_MODULE}: no \`const DOMAINS = [...]\``);
  });
});

describe('tsconfig.base.json paths', () => {
  const tsconfig = (paths: string) => `{\n  "compilerOptions": {\n    "paths": {\n${paths}    }\n  },\n  "exclude": ["node_modules"]\n}\n`;
  const config = '      "@bitro/config": ["./libs/shared/config/src/index.ts"],\n';
  const wallet = '      "@bitro/wallet": ["./libs/wallet/src/index.ts"],\n';
  const tool = '      "@bitro/regtest-node": ["./tools/regtest-node/src/index.ts"]\n';
  const entry = '      "@bitro/loyalty": ["./libs/loyalty/src/index.ts"],\n';
  const add = (tree: ReturnType<typeof createTree>) => addTsconfigPath(tree, '@bitro/loyalty', './libs/loyalty/src/index.ts');
  const remove = (tree: ReturnType<typeof createTree>) => removeTsconfigPath(tree, '@bitro/loyalty');

  it('adds one line after the last domain library, keeping the format of the others', () => {
    expect(roundTrip(TSCONFIG_BASE, tsconfig(config + wallet + tool), add, remove)).toBe(tsconfig(config + wallet + entry + tool));
  });

  it('adds it first when no domain library is there', () => {
    expect(roundTrip(TSCONFIG_BASE, tsconfig(config + tool), add, remove)).toBe(tsconfig(entry + config + tool));
  });

  it('knows which paths are mapped', () => {
    const tree = createTree();
    tree.write(TSCONFIG_BASE, tsconfig(config + wallet + tool));
    expect(hasTsconfigPath(tree, '@bitro/wallet')).toBe(true);
    expect(hasTsconfigPath(tree, '@bitro/loyalty')).toBe(false);
  });

  it('refuses paths it cannot edit line by line', () => {
    const tree = createTree();
    tree.write(TSCONFIG_BASE, '{ "compilerOptions": { "paths": { "@bitro/wallet": ["./libs/wallet/src/index.ts"] } } }\n');
    expect(add.bind(null, tree)).toThrow('tsconfig.base.json: expected "paths": { on a line of its own');
  });
});

describe("service-api's index", () => {
  it('appends one export and removes it again', () => {
    const before = "export * from './user/user.api';\nexport * from './audit';\n";
    const added = roundTrip(SERVICE_API_INDEX, before, (tree) => addServiceApiExport(tree, 'loyalty'), (tree) => removeServiceApiExport(tree, 'loyalty'));
    expect(added).toBe(`${before}export * from './loyalty';\n`);
  });
});

describe("bitro-api's API tags", () => {
  const apiInfo = "export const API_DESCRIPTION = {\n  info: { title: 'Bitro API' },\n  tags: {\n    wallet: 'Balance.',\n  },\n};\n";

  it("adds the domain's tag, described, as the last entry, and takes it out again as it was", () => {
    const added = roundTrip(API_INFO, apiInfo, (tree) => addApiTag(tree, 'gift-points', "Gift points: a user's items."), (tree) => removeApiTag(tree, 'gift-points'));
    expect(added).toContain("    wallet: 'Balance.',\n    'gift-points': 'Gift points: a user\\'s items.',\n  },\n};");
  });

  it('refuses an API description without its tags block', () => {
    const tree = createTree();
    tree.write(API_INFO, 'export const API_DESCRIPTION = {};\n');
    expect(() => addApiTag(tree, 'loyalty', 'Loyalty.')).toThrow(/no `tags: \{ ... \}` block/);
  });
});
