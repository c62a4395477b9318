import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { BitroEnv } from './bitro-env.schema';

/** Injection token of the validated {@link BitroEnv}. */
export const BITRO_ENV = Symbol.for('bitro.env');

@Global()
@Module({})
export class ConfigModule {
  static forRoot(env: BitroEnv): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: BITRO_ENV, useValue: env }], exports: [BITRO_ENV] };
  }
}
