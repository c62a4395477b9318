import type { MetricsCollector } from './metrics-collector';
import { processRegistry } from './process-registry';

export interface ScrapeOptions {
  /** A collector that has not answered by then is left out of this scrape. */
  timeoutMs: number;
  onFailure: (collector: MetricsCollector, error: Error) => void;
}

/** The process registry's families and every collector's that answered in time, in the Prometheus text format. */
export async function scrape(collectors: readonly MetricsCollector[], options: ScrapeOptions): Promise<string> {
  const parts = await Promise.all([processRegistry.metrics(), ...collectors.map((collector) => collected(collector, options))]);
  return parts
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .join('\n')
    .concat('\n');
}

async function collected(collector: MetricsCollector, { timeoutMs, onFailure }: ScrapeOptions): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const overrun = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([collector.collect(), overrun]);
    return await collector.exposition();
  } catch (error) {
    onFailure(collector, error as Error);
    return '';
  } finally {
    clearTimeout(timer);
  }
}
