/**
 * A binary min-heap of (expiresAt, key) pairs, so expired credentials are found at the top without scanning the
 * live ones: each login pops only what has expired (O(log n) each) instead of walking every session.
 */
export class ExpiryQueue {
  private readonly times: number[] = [];
  private readonly keys: string[] = [];

  get size(): number {
    return this.times.length;
  }

  push(expiresAt: number, key: string): void {
    this.times.push(expiresAt);
    this.keys.push(key);
    let i = this.times.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((this.times[parent] ?? 0) <= expiresAt) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** Removes and yields every entry with `expiresAt <= now`, earliest first. */
  *popExpired(now: number): Generator<{ expiresAt: number; key: string }> {
    while (this.times.length > 0 && (this.times[0] ?? Number.POSITIVE_INFINITY) <= now) {
      const expiresAt = this.times[0] ?? 0;
      const key = this.keys[0] ?? '';
      this.removeTop();
      yield { expiresAt, key };
    }
  }

  private removeTop(): void {
    const lastTime = this.times.pop() ?? 0;
    const lastKey = this.keys.pop() ?? '';
    const n = this.times.length;
    if (n === 0) return;
    this.times[0] = lastTime;
    this.keys[0] = lastKey;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let smallest = i;
      if (l < n && (this.times[l] ?? 0) < (this.times[smallest] ?? 0)) smallest = l;
      if (r < n && (this.times[r] ?? 0) < (this.times[smallest] ?? 0)) smallest = r;
      if (smallest === i) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }

  private swap(a: number, b: number): void {
    const t = this.times[a] ?? 0;
    this.times[a] = this.times[b] ?? 0;
    this.times[b] = t;
    const k = this.keys[a] ?? '';
    this.keys[a] = this.keys[b] ?? '';
    this.keys[b] = k;
  }
}
