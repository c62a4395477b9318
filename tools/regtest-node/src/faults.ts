/** Injected misbehaviour of the RPC server, set through the test controls. */
export class Faults {
  delayMs = 0;
  /** Requests still to be dropped (socket closed without an answer), whatever their method. */
  dropNext = 0;
  /** Method → how many more calls of it to drop (Infinity = until cleared). */
  readonly dropMethods = new Map<string, number>();
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

  reset(): void {
    this.delayMs = 0;
    this.dropNext = 0;
    this.dropMethods.clear();
    this.warmup = null;
  }
}
