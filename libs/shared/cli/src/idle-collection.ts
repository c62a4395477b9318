import { Session } from 'node:inspector';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** The event loop's busy share of an interval under which the process counts as idle. */
const IDLE_UTILIZATION = 0.05;

export interface IdleCollectionTimes {
  /** After start, how often to look for the first idle window, whose collection takes start-up's garbage (ms). */
  settleMs: number;
  /** After that first collection, how often to collect when idle (ms); 0: never again. */
  everyMs: number;
}

/**
 * A full V8 collection that also gives back what the heap has grown for (as V8's memory reducer does: the young
 * generation shrinks to its minimum, the compilation cache is dropped) whenever the event loop was busy less than 5 %
 * of a window: first once start-up is over (the first idle window of `settleMs`), then, if `everyMs` is set, every
 * `everyMs` of idleness. Start-up leaves a young generation of tens of MB and its garbage, which V8's memory reducer
 * takes back only some 20 s later; an idle process's old generation fills with garbage up to V8's next limit (8 MB
 * above the live heap, ADR 0042) before it is collected. The collection is the inspector's `HeapProfiler.collectGarbage`
 * on an in-process session (no port is opened): `gc()` of `--expose-gc` leaves the young generation as large as it
 * grew (ADR 0043). A busy process is left to V8's own collections, so no request waits for these. The timers do not
 * keep the process alive; a `settleMs` of 0 turns it off. Answers a function that stops it.
 */
export function startIdleCollection({ settleMs, everyMs }: IdleCollectionTimes): () => void {
  if (settleMs <= 0) return () => undefined;
  const session = new Session();
  session.connect();
  const reduce = () => session.post('HeapProfiler.collectGarbage');
  let last = performance.eventLoopUtilization();
  const ifIdle = (collection: () => void): boolean => {
    const now = performance.eventLoopUtilization();
    const idle = performance.eventLoopUtilization(now, last).utilization < IDLE_UTILIZATION;
    last = now;
    if (idle) collection();
    return idle;
  };
  let timer: NodeJS.Timeout;
  const settle = () => {
    if (!ifIdle(reduce)) timer = setTimeout(settle, settleMs).unref();
    else if (everyMs > 0) {
      setFlagsFromString('--expose-gc');
      const collect = runInNewContext('gc') as () => void;
      timer = setInterval(() => ifIdle(collect), everyMs).unref();
    }
  };
  timer = setTimeout(settle, settleMs).unref();
  return () => {
    clearTimeout(timer);
    session.disconnect();
  };
}
