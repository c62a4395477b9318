import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { GatewayEnv } from '@bitro/config';

/** Injection token of the validated {@link GatewayEnv}. */
export const GATEWAY_ENV = Symbol.for('bitro.gateway.env');

@Global()
@Module({})
export class GatewayEnvModule {
  static forRoot(env: GatewayEnv): DynamicModule {
    return { module: GatewayEnvModule, providers: [{ provide: GATEWAY_ENV, useValue: env }], exports: [GATEWAY_ENV] };
  }
}
