// Fault injection for reliability tests: failing answers, added latency, dropped watches.

export class Faults {
  private failCount = 0;
  private failUntil = 0;
  private failStatus = 503;
  private latencyMs = 0;
  private latencyUntil = Number.POSITIVE_INFINITY;

  /** Answer `status` to the next `count` API requests, or to all for `seconds`. */
  fail(status: number, count?: number, seconds?: number): void {
    this.failStatus = status;
    this.failCount = count ?? 0;
    this.failUntil = seconds ? Date.now() + seconds * 1000 : 0;
  }

  latency(ms: number, seconds?: number): void {
    this.latencyMs = ms;
    this.latencyUntil = seconds ? Date.now() + seconds * 1000 : Number.POSITIVE_INFINITY;
  }

  clear(): void {
    this.failCount = 0;
    this.failUntil = 0;
    this.latencyMs = 0;
  }

  /** The status to fail this request with, if any (consumes one of `count`). */
  takeFailure(): number | undefined {
    if (this.failCount > 0) {
      this.failCount--;
      return this.failStatus;
    }
    if (Date.now() < this.failUntil) return this.failStatus;
    return undefined;
  }

  currentLatency(): number {
    return Date.now() < this.latencyUntil ? this.latencyMs : 0;
  }
}
