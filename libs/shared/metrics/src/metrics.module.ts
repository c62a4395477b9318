import { type DynamicModule, Global, Inject, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService } from '@nestjs/core';
import { MetricsCollector } from './metrics-collector';
import { MetricsServer } from './metrics-server';
import { collectProcessMetrics } from './process-registry';
import { scrape } from './scrape';

export interface MetricsSettings {
  /** METRICS_HOST: the internal interface the metrics port listens on. */
  host: string;
  /** METRICS_PORT: 0 serves no metrics. */
  port: number;
  /** A collector that has not answered by then is left out of the scrape (default 5 s). */
  collectTimeoutMs?: number;
}

const METRICS_SETTINGS = Symbol.for('bitro.metrics.settings');
const DEFAULT_COLLECT_TIMEOUT_MS = 5_000;

/**
 * Serves the process's metrics on their own port once the app has started: the process registry (counters, the HTTP
 * histogram, `process_*` / `nodejs_*`) and the gauges of every {@link MetricsCollector} provider of the app's modules.
 */
@Global()
@Module({})
export class MetricsModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('metrics');
  private server: MetricsServer | undefined;

  static forRoot(settings: MetricsSettings): DynamicModule {
    return { module: MetricsModule, imports: [DiscoveryModule], providers: [{ provide: METRICS_SETTINGS, useValue: settings }] };
  }

  constructor(
    @Inject(METRICS_SETTINGS) private readonly settings: MetricsSettings,
    private readonly discovery: DiscoveryService,
  ) {}

  /** The port the metrics listen on, or undefined when they are off. */
  get port(): number | undefined {
    return this.server?.port;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.settings.port === 0) return;
    collectProcessMetrics();
    const collectors = this.discovery
      .getProviders()
      .map((wrapper) => wrapper.instance as unknown)
      .filter((instance): instance is MetricsCollector => instance instanceof MetricsCollector);
    const timeoutMs = this.settings.collectTimeoutMs ?? DEFAULT_COLLECT_TIMEOUT_MS;
    this.server = await MetricsServer.start({
      host: this.settings.host,
      port: this.settings.port,
      exposition: () =>
        scrape(collectors, { timeoutMs, onFailure: (collector, error) => this.logger.warn(`metrics of ${collector.name} left out of this scrape: ${error.message}`) }),
      onError: (error) => this.logger.error(`metrics scrape failed: ${error.message}`),
    });
    this.logger.log(`metrics on http://${this.settings.host}:${this.server.port}/metrics`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server?.close();
  }
}
