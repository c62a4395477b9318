export { loadEnv, InvalidEnvironmentError } from './load-env';
export { bitroEnvSchema, type BitroEnv } from './bitro-env.schema';
export { ConfigModule, BITRO_ENV } from './config.module';
