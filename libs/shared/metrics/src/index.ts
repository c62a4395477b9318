export { processRegistry, defineCounter, collectProcessMetrics, type CounterDefinition } from './process-registry';
export { MetricsCollector } from './metrics-collector';
export { MetricsServer, type MetricsServerOptions } from './metrics-server';
export { MetricsModule, type MetricsSettings } from './metrics.module';
export { observeHttpRequests } from './http-metrics';
export { scrape, type ScrapeOptions } from './scrape';
