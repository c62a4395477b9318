import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** The event loop's busy share of an interval under which the process counts as idle. */
const IDLE_UTILIZATION = 0.05;

/**
 * Every `intervalMs`, when the event loop was busy less than 5 % of it, a full V8 collection: an idle process's old
 * generation otherwise fills with garbage up to V8's next limit (8 MB above the live heap, ADR 0042) before it is
 * collected. A busy process is left to V8's own collections, so no request waits for this one. The timer does not keep
 * the process alive; 0 turns it off. Answers a function that stops it.
 */
export function startIdleCollection(intervalMs: number): () => void {
  if (intervalMs <= 0) return () => undefined;
  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as () => void;
  let last = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    if (performance.eventLoopUtilization(now, last).utilization < IDLE_UTILIZATION) collect();
    last = now;
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
