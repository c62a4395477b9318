/** Injected misbehaviour of the RPC server, set through the test controls. */
export class Faults {
  delayMs = 0;
  /** Method → delay of its answers, ms (the call is processed at once, only the answer waits). */
  readonly delayMethods = new Map<string, number>();
  /** Requests still to be dropped (socket closed without an answer), whatever their method. */
  dropNext = 0;
  /** Method → how many more calls of it to drop (Infinity = until cleared). */
  readonly dropMethods = new Map<string, number>();
  /** Methods left out of the RPC user's -rpcwhitelist: a request naming one is answered 403. */
  readonly forbiddenMethods = new Set<string>();
  /** Core's RPC warm-up status while the node is "starting", or null when ready. */
  warmup: string | null = null;

  /** Whether a request (with the methods it carries) must be dropped; consumes one drop. */
  shouldDrop(methods: string[]): boolean {
    if (this.dropNext > 0) {
      this.dropNext--;
      return true;
    }
    for (const method of methods) {
      const left = this.dropMethods.get(method);
      if (left !== undefined && left > 0) {
        if (left === 1) this.dropMethods.delete(method);
        else this.dropMethods.set(method, left - 1);
        return true;
      }
    }
    return false;
  }

  /** How long to hold the answer to a request carrying `methods`. */
  delayFor(methods: string[]): number {
    return Math.max(this.delayMs, ...methods.map((method) => this.delayMethods.get(method) ?? 0));
  }

  reset(): void {
    this.delayMs = 0;
    this.delayMethods.clear();
    this.dropNext = 0;
    this.dropMethods.clear();
    this.forbiddenMethods.clear();
    this.warmup = null;
  }
}
