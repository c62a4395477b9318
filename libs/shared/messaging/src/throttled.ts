/** Lets a repeating log line through once per interval, e.g. while Redis or PostgreSQL is down. */
export function throttled(intervalMs: number): (log: () => void) => void {
  let last = 0;
  return (log) => {
    if (Date.now() - last < intervalMs) return;
    last = Date.now();
    log();
  };
}
