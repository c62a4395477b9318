export { loadEnv, InvalidEnvironmentError } from './load-env';
export { bitroEnvSchema, bitroRoleSchema, type BitroEnv, type BitroRole } from './bitro-env.schema';
export { gatewayEnvSchema, type GatewayEnv } from './gateway-env.schema';
export { ConfigModule, BITRO_ENV, GATEWAY_ENV, DB_SETTINGS, MESSAGING_SETTINGS, type DbSettings, type MessagingSettings } from './config.module';
export { tracingEnvFields, tracingSettingsOf, type TracingSettings, type TraceSampler } from './tracing-env';
