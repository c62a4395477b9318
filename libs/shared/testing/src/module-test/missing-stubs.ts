import 'reflect-metadata';
import type { DynamicModule, ForwardReference, InjectionToken, Provider, Type } from '@nestjs/common';
import { UnknownDependenciesException } from '@nestjs/core/errors/exceptions/unknown-dependencies.exception';
import * as serviceApi from '@bitro/service-api';

/** What `imports` of a Nest module may hold. */
export type ImportableModule = Type | DynamicModule | Promise<DynamicModule> | ForwardReference;

/** service-api's injection tokens (its `*_API` exports), with the names they are exported under. */
const SERVICE_API_TOKENS: ReadonlyMap<unknown, string> = new Map(
  Object.entries(serviceApi)
    .filter(([name, value]) => name.endsWith('_API') && (typeof value === 'symbol' || typeof value === 'string'))
    .map(([name, value]) => [value, name]),
);

interface Injection {
  token: unknown;
  /** The class (or factory provider) that injects it. */
  by: string;
}

/** What a module tree provides and what its classes inject, read from Nest's metadata without compiling anything. */
interface Wiring {
  provided: Set<unknown>;
  injections: Injection[];
}

const isForwardRef = (value: unknown): value is ForwardReference => typeof value === 'object' && value !== null && 'forwardRef' in value;
const unwrap = (token: unknown): unknown => (isForwardRef(token) ? token.forwardRef() : token);
const nameOf = (token: unknown): string => (typeof token === 'function' ? token.name : String(token));

/** The injection tokens of a class's constructor parameters and properties, optional ones left out. */
function injectionsOf(type: Type, by = type.name): Injection[] {
  const paramTypes: unknown[] = Reflect.getMetadata('design:paramtypes', type) ?? [];
  const declared: Array<{ index: number; param: unknown }> = Reflect.getMetadata('self:paramtypes', type) ?? [];
  const optional: number[] = Reflect.getMetadata('optional:paramtypes', type) ?? [];
  const params = paramTypes.map((paramType, index) => declared.find((entry) => entry.index === index)?.param ?? paramType);
  const properties: Array<{ key: string; type: unknown }> = Reflect.getMetadata('self:properties_metadata', type) ?? [];
  const optionalProperties: string[] = Reflect.getMetadata('optional:properties_metadata', type) ?? [];
  return [
    ...params.filter((_, index) => !optional.includes(index)),
    ...properties.filter((property) => !optionalProperties.includes(property.key)).map((property) => property.type),
  ].map((token) => ({ token: unwrap(token), by }));
}

function readProvider(provider: Provider, wiring: Wiring): void {
  if (typeof provider === 'function') {
    wiring.provided.add(provider);
    wiring.injections.push(...injectionsOf(provider));
    return;
  }
  wiring.provided.add(provider.provide);
  const by = `the provider of ${nameOf(provider.provide)}`;
  if ('useClass' in provider) wiring.injections.push(...injectionsOf(provider.useClass, provider.useClass.name));
  if ('useExisting' in provider) wiring.injections.push({ token: unwrap(provider.useExisting), by });
  if ('useFactory' in provider) {
    for (const dependency of provider.inject ?? []) {
      if (typeof dependency === 'object' && dependency !== null && 'token' in dependency) {
        if (!dependency.optional) wiring.injections.push({ token: unwrap(dependency.token), by });
      } else {
        wiring.injections.push({ token: unwrap(dependency), by });
      }
    }
  }
}

async function readModule(entry: ImportableModule, wiring: Wiring, seen: Set<unknown>): Promise<void> {
  const resolved = await (isForwardRef(entry) ? entry.forwardRef() : entry);
  if (!resolved || seen.has(resolved)) return;
  seen.add(resolved);
  const type: Type = 'module' in resolved ? resolved.module : resolved;
  const dynamic: Partial<DynamicModule> = 'module' in resolved ? resolved : {};
  const metadata = <T>(key: 'imports' | 'providers' | 'controllers'): T[] => [...(Reflect.getMetadata(key, type) ?? []), ...((dynamic[key] as T[] | undefined) ?? [])];
  for (const provider of metadata<Provider>('providers')) readProvider(provider, wiring);
  for (const controller of metadata<Type>('controllers')) wiring.injections.push(...injectionsOf(controller));
  for (const imported of metadata<ImportableModule>('imports')) await readModule(imported, wiring, seen);
}

export const moduleName = (module: Type | DynamicModule): string => ('module' in module ? module.module.name : module.name);

/**
 * Thrown before a module test compiles when the module injects a service-api token that neither the module (with what
 * it imports) nor the test's stubs provide: in the application another domain would.
 */
export class MissingStubError extends Error {
  override name = 'MissingStubError';

  constructor(module: string, tokens: string[], injectedBy: Map<string, string[]> = new Map(), options?: ErrorOptions) {
    const many = tokens.length > 1;
    const listed = tokens.length === 1 ? tokens[0] : `${tokens.slice(0, -1).join(', ')} and ${tokens[tokens.length - 1]}`;
    const stubs = tokens.map((token) => `{ provide: ${token}, useValue: ... }`).join(', ');
    const details = tokens.filter((token) => injectedBy.has(token)).map((token) => `\n  ${token} is injected by ${injectedBy.get(token)?.join(', ')}`);
    super(
      `${module} injects ${listed} (from ${many ? "other domains'" : "another domain's"} service-api) but the module test has no stub for ${many ? 'them' : 'it'}: ` +
        `pass stubs: [${stubs}]${details.join('')}`,
      options,
    );
  }
}

/**
 * Every service-api token that `module` (or a module it imports) injects and that none of `available` (the test's
 * other modules) and `stubs` provides; throws {@link MissingStubError} naming them all.
 */
export async function assertStubbed(module: Type | DynamicModule, available: ImportableModule[], stubs: Provider[]): Promise<void> {
  const wiring: Wiring = { provided: new Set(), injections: [] };
  const seen = new Set<unknown>();
  await readModule(module, wiring, seen);
  const others: Wiring = { provided: new Set(), injections: [] };
  for (const imported of available) await readModule(imported, others, seen);
  for (const stub of stubs) others.provided.add(typeof stub === 'function' ? stub : stub.provide);
  const injectedBy = new Map<string, string[]>();
  for (const { token, by } of wiring.injections) {
    const exported = SERVICE_API_TOKENS.get(token);
    if (!exported || wiring.provided.has(token) || others.provided.has(token)) continue;
    const injectors = injectedBy.get(exported) ?? [];
    if (!injectors.includes(by)) injectors.push(by);
    injectedBy.set(exported, injectors);
  }
  if (injectedBy.size > 0) throw new MissingStubError(moduleName(module), [...injectedBy.keys()].sort(), injectedBy);
}

/**
 * Nest's own "can't resolve dependencies" about a service-api token (one the static walk could not see, e.g. from a
 * provider an async module adds) as a {@link MissingStubError}; any other error as it is.
 */
export function explainUnresolved(error: unknown, module: Type | DynamicModule): unknown {
  if (!(error instanceof UnknownDependenciesException)) return error;
  const { name, index, dependencies } = error.context;
  const token: InjectionToken | undefined = name ?? (index === undefined ? undefined : (dependencies?.[index] as InjectionToken | undefined));
  const exported = SERVICE_API_TOKENS.get(unwrap(token));
  return exported ? new MissingStubError(moduleName(module), [exported], new Map(), { cause: error }) : error;
}
