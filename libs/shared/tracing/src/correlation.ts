import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The correlation id of the work in progress: the id of the request that started it (its `X-Request-Id`), carried in
 * the events it caused and so into their consumers, in the other process too. Independent of tracing: it travels and
 * reaches the log lines when no trace is recorded.
 */
const correlation = new AsyncLocalStorage<string>();

export function currentCorrelationId(): string | undefined {
  return correlation.getStore();
}

/** Runs `work` with `id` as the correlation id (as it is when `id` is missing). */
export function withCorrelationId<T>(id: string | null | undefined, work: () => T): T {
  return id ? correlation.run(id, work) : work();
}
