import 'reflect-metadata';
import { settleMain, startIdleCollection, startMemoryTrim } from '@bitro/cli';
import { bitroEnvSchema, loadEnv, tracingSettingsOf } from '@bitro/config';
import { startTracing } from '@bitro/tracing';
import { createApp } from './app/create-app';
import { runCommand } from './cli/run-command';

/** How often, after start, to look for the first idle window of the replica; no periodic collection after it. */
const IDLE_COLLECTION = { settleMs: 5_000, everyMs: 0 };

async function main(): Promise<number | undefined> {
  const env = loadEnv(bitroEnvSchema);
  const [command, ...argv] = process.argv.slice(2);
  if (command !== undefined) return runCommand(env, command, argv);
  // Before anything else runs; off unless OTEL_* asks for it (then the SDK is loaded, and only then).
  await startTracing(tracingSettingsOf(env, 'bitro-api'));
  const started = performance.now();
  const app = await createApp(env);
  // A replica without the http role only runs queue workers and schedulers.
  if (env.BITRO_ROLES.includes('http')) await app.listen({ port: env.PORT, host: env.HOST });
  else await app.init();
  const log = app.getHttpAdapter().getInstance().log;
  log.info({ port: env.PORT, roles: env.BITRO_ROLES, startupMs: Math.round(performance.now() - started) }, 'bitro-api started');
  startMemoryTrim(env.MEMORY_TRIM_INTERVAL_MS);
  // Start-up's garbage once the replica first idles; no periodic collection: a full one costs bitro-api ~63 ms (ADR 0043).
  startIdleCollection(IDLE_COLLECTION);
  return undefined;
}

settleMain(main());
