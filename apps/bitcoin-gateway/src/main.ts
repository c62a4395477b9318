import 'reflect-metadata';
import { settleMain, startIdleCollection, startMemoryTrim } from '@bitro/cli';
import { gatewayEnvSchema, loadEnv, tracingSettingsOf } from '@bitro/config';
import { startTracing } from '@bitro/tracing';
import { createApp } from './app/create-app';
import { runCommand } from './cli/run-command';

/** How often, after start, to look for the first idle window; then how often an idle gateway collects its garbage. */
const IDLE_COLLECTION = { settleMs: 5_000, everyMs: 60_000 };

async function main(): Promise<number | undefined> {
  const env = loadEnv(gatewayEnvSchema);
  const [command, ...argv] = process.argv.slice(2);
  if (command !== undefined) return runCommand(env, command, argv);
  // Before anything else runs; off unless OTEL_* asks for it (then the SDK is loaded, and only then).
  await startTracing(tracingSettingsOf(env, 'bitcoin-gateway'));
  const started = performance.now();
  const app = await createApp(env);
  await app.listen({ port: env.PORT, host: env.HOST });
  const log = app.getHttpAdapter().getInstance().log;
  log.info({ port: env.PORT, network: env.BITCOIN_NETWORK, startupMs: Math.round(performance.now() - started) }, 'bitcoin-gateway started');
  startMemoryTrim(env.MEMORY_TRIM_INTERVAL_MS);
  // Its idle RSS target is 100 MB; a full collection of its ~38 MB heap takes ~27 ms a minute (ADRs 0042, 0043).
  startIdleCollection(IDLE_COLLECTION);
  return undefined;
}

settleMain(main());
