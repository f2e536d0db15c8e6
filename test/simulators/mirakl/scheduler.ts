/**
 * Time-based transitions waiting to happen (auto-refusal, debit, auto-receive ...), kept in a min-heap by due
 * time so each request only pays for what is due, not for a scan of every order.
 */
export type ScheduledEvent =
  | { kind: "staging-end"; orderId: string }
  | { kind: "acceptance-expiry"; orderId: string }
  | { kind: "debit"; orderId: string }
  | { kind: "auto-receive"; orderId: string }
  | { kind: "auto-close"; orderId: string }
  | { kind: "refund-complete"; orderId: string; refundId: string }
  | { kind: "import-start"; importId: string }
  | { kind: "import-complete"; importId: string }
  | { kind: "export-complete"; trackingId: string }
  | { kind: "billing-cycle" }
  | { kind: "payout"; cycleId: string };

interface Entry {
  at: number;
  seq: number;
  event: ScheduledEvent;
}

export class Scheduler {
  private heap: Entry[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  schedule({ at, event }: { at: number; event: ScheduledEvent }): void {
    this.heap.push({ at, seq: this.seq++, event });
    this.up(this.heap.length - 1);
  }

  /** Removes and returns the earliest event due at or before `now`. */
  popDue({ now }: { now: number }): { at: number; event: ScheduledEvent } | undefined {
    const top = this.heap[0];
    if (!top || top.at > now) return undefined;
    const last = this.heap.pop() as Entry;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.down(0);
    }
    return { at: top.at, event: top.event };
  }

  clear(): void {
    this.heap = [];
  }

  private less(i: number, j: number): boolean {
    const a = this.heap[i] as Entry;
    const b = this.heap[j] as Entry;
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private swap(i: number, j: number): void {
    const t = this.heap[i] as Entry;
    this.heap[i] = this.heap[j] as Entry;
    this.heap[j] = t;
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.heap.length && this.less(l, m)) m = l;
      if (r < this.heap.length && this.less(r, m)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}
