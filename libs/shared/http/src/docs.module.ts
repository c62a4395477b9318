import { type DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { DocsController } from './docs.controller';
import { type ApiDescription, buildOpenApiDocument } from './openapi';
import { ROUTE_CONTRACT, type RouteContract } from './route-contract';
import { CLIENT_GUIDE, OPENAPI_DOCUMENT } from './tokens';

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

/**
 * Serves the OpenAPI document at `/docs/openapi.json`, a browsable UI at `/docs` and the client guide (Markdown,
 * bundled with the application) at `/docs/guide`.
 */
@Module({})
export class DocsModule {
  static forRoot(description: ApiDescription & { guide: string }): DynamicModule {
    return {
      module: DocsModule,
      imports: [DiscoveryModule],
      controllers: [DocsController],
      providers: [
        { provide: CLIENT_GUIDE, useValue: description.guide },
        {
          provide: OPENAPI_DOCUMENT,
          inject: [DiscoveryService, MetadataScanner, Reflector],
          useFactory: (discovery: DiscoveryService, scanner: MetadataScanner, reflector: Reflector) => {
            let document: unknown;
            // Built on first request: controllers of every module are registered by then.
            return { get: () => (document ??= buildOpenApiDocument(discoverRoutes(discovery, scanner, reflector), description)) };
          },
        },
      ],
    };
  }
}
