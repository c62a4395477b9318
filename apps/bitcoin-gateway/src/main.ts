import 'reflect-metadata';
import { gatewayEnvSchema, InvalidEnvironmentError, loadEnv } from '@bitro/config';
import { createApp } from './app/create-app';

async function main(): Promise<void> {
  const env = loadEnv(gatewayEnvSchema);
  const started = performance.now();
  const app = await createApp(env);
  await app.listen({ port: env.PORT, host: env.HOST });
  const log = app.getHttpAdapter().getInstance().log;
  log.info({ port: env.PORT, network: env.BITCOIN_NETWORK, startupMs: Math.round(performance.now() - started) }, 'bitcoin-gateway started');
}

main().catch((error: unknown) => {
  console.error(error instanceof InvalidEnvironmentError ? error.message : error);
  process.exit(1);
});
