import { type DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { DocsController } from './docs.controller';
import { buildOpenApiDocument } from './openapi';
import { ROUTE_CONTRACT, type RouteContract } from './route-contract';
import { OPENAPI_DOCUMENT } from './tokens';

/** Every route contract of the running application, found on its controllers. */
function discoverRoutes(discovery: DiscoveryService, scanner: MetadataScanner, reflector: Reflector): RouteContract[] {
  return discovery.getControllers().flatMap(({ instance }) => {
    if (!instance) return [];
    const prototype = Object.getPrototypeOf(instance);
    return scanner
      .getAllMethodNames(prototype)
      .map((name) => reflector.get<RouteContract | undefined>(ROUTE_CONTRACT, prototype[name]))
      .filter((contract): contract is RouteContract => contract !== undefined);
  });
}

/** Serves the OpenAPI document at `/docs/openapi.json` and a browsable UI at `/docs`. */
@Module({})
export class DocsModule {
  static forRoot(info: { title: string; version: string; description?: string }): DynamicModule {
    return {
      module: DocsModule,
      imports: [DiscoveryModule],
      controllers: [DocsController],
      providers: [
        {
          provide: OPENAPI_DOCUMENT,
          inject: [DiscoveryService, MetadataScanner, Reflector],
          useFactory: (discovery: DiscoveryService, scanner: MetadataScanner, reflector: Reflector) => {
            let document: unknown;
            // Built on first request: controllers of every module are registered by then.
            return { get: () => (document ??= buildOpenApiDocument(discoverRoutes(discovery, scanner, reflector), info)) };
          },
        },
      ],
    };
  }
}
