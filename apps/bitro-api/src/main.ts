import 'reflect-metadata';
import { bitroEnvSchema, InvalidEnvironmentError, loadEnv } from '@bitro/config';
import { createApp } from './app/create-app';
import { adminCreate } from './cli/admin-create';

async function main(): Promise<number | undefined> {
  const env = loadEnv(bitroEnvSchema);
  const [command, ...rest] = process.argv.slice(2);
  if (command === 'admin:create') return adminCreate(env, rest);
  if (command !== undefined) {
    console.error(`Unknown command "${command}". Commands: admin:create (none: serve HTTP).`);
    return 2;
  }
  const started = performance.now();
  const app = await createApp(env);
  await app.listen({ port: env.PORT, host: env.HOST });
  app.getHttpAdapter().getInstance().log.info({ port: env.PORT, startupMs: Math.round(performance.now() - started) }, 'bitro-api listening');
  return undefined;
}

main().then(
  (code) => {
    if (code !== undefined) process.exit(code);
  },
  (error: unknown) => {
    console.error(error instanceof InvalidEnvironmentError ? error.message : error);
    process.exit(1);
  },
);
