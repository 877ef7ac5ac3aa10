/**
 * A small Prometheus text-format registry (counters, gauges, histograms): enough for
 * /api/metrics without a dependency.
 */
type Labels = Readonly<Record<string, string>>;

const labelKey = (labels: Labels): string =>
  Object.keys(labels)
    .sort()
    .map(
      (k) =>
        `${k}="${String(labels[k]).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`,
    )
    .join(',');

const line = (name: string, key: string, value: number): string =>
  `${name}${key === '' ? '' : `{${key}}`} ${Number.isFinite(value) ? value : 0}`;

interface Metric {
  render(): string;
}

export class Counter implements Metric {
  private readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(by = 1, labels: Labels = {}): void {
    const key = labelKey(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }
  get(labels: Labels = {}): number {
    return this.values.get(labelKey(labels)) ?? 0;
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    if (this.values.size === 0) lines.push(line(this.name, '', 0));
    for (const [key, value] of this.values) lines.push(line(this.name, key, value));
    return lines.join('\n');
  }
}

export class Gauge implements Metric {
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly read: () => number,
  ) {}
  render(): string {
    return [
      `# HELP ${this.name} ${this.help}`,
      `# TYPE ${this.name} gauge`,
      line(this.name, '', this.read()),
    ].join('\n');
  }
}

export class Histogram implements Metric {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly buckets: readonly number[],
  ) {
    this.counts = buckets.map(() => 0);
  }
  observe(value: number): void {
    this.sum += value;
    this.count += 1;
    for (let i = 0; i < this.buckets.length; i++) {
      if (value <= this.buckets[i]!) this.counts[i]! += 1;
    }
  }
  get observations(): number {
    return this.count;
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    this.buckets.forEach((le, i) =>
      lines.push(line(`${this.name}_bucket`, `le="${le}"`, this.counts[i]!)),
    );
    lines.push(line(`${this.name}_bucket`, 'le="+Inf"', this.count));
    lines.push(line(`${this.name}_sum`, '', this.sum));
    lines.push(line(`${this.name}_count`, '', this.count));
    return lines.join('\n');
  }
}

/** Events per second over a sliding window of whole seconds. */
export class RateMeter {
  private readonly slots: number[];
  private slotSecond: number[];
  constructor(
    private readonly windowSeconds = 10,
    private readonly now: () => number = Date.now,
  ) {
    this.slots = new Array<number>(windowSeconds).fill(0);
    this.slotSecond = new Array<number>(windowSeconds).fill(-1);
  }
  mark(n = 1): void {
    const second = Math.floor(this.now() / 1000);
    const i = second % this.windowSeconds;
    if (this.slotSecond[i] !== second) {
      this.slotSecond[i] = second;
      this.slots[i] = 0;
    }
    this.slots[i]! += n;
  }
  perSecond(): number {
    const second = Math.floor(this.now() / 1000);
    let total = 0;
    for (let i = 0; i < this.windowSeconds; i++) {
      const s = this.slotSecond[i]!;
      // the current second is still filling: count the completed ones only
      if (s < second && s >= second - this.windowSeconds) total += this.slots[i]!;
    }
    return total / this.windowSeconds;
  }
}

export class MetricsRegistry {
  private readonly metrics: Metric[] = [];
  counter(name: string, help: string): Counter {
    return this.add(new Counter(name, help));
  }
  gauge(name: string, help: string, read: () => number): Gauge {
    return this.add(new Gauge(name, help, read));
  }
  histogram(name: string, help: string, buckets: readonly number[]): Histogram {
    return this.add(new Histogram(name, help, buckets));
  }
  render(): string {
    return this.metrics.map((m) => m.render()).join('\n') + '\n';
  }
  private add<M extends Metric>(metric: M): M {
    this.metrics.push(metric);
    return metric;
  }
}

/** The server's metrics, created once per app. */
export function createServerMetrics(registry = new MetricsRegistry()) {
  const updatesRate = new RateMeter();
  return {
    registry,
    updatesRate,
    updatesReceived: registry.counter(
      'syspat_updates_received_total',
      'Yjs updates received from clients',
    ),
    updatesCommitted: registry.counter(
      'syspat_updates_committed_total',
      'Yjs updates committed to storage',
    ),
    updatesPerSecond: registry.gauge(
      'syspat_updates_per_second',
      'Updates applied per second (10 s average)',
      () => updatesRate.perSecond(),
    ),
    flushes: registry.counter(
      'syspat_flushes_total',
      'Group commits (one storage transaction each)',
    ),
    storageErrors: registry.counter(
      'syspat_storage_errors_total',
      'Failed storage writes (retried)',
    ),
    storageWriteSeconds: registry.histogram(
      'syspat_storage_write_seconds',
      'Latency of one group commit to storage',
      [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    ),
    docLoadSeconds: registry.histogram(
      'syspat_doc_load_seconds',
      'Time to load a document from storage into memory',
      [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    ),
    compactions: registry.counter('syspat_compactions_total', 'Snapshots written by compaction'),
    wsCloses: registry.counter(
      'syspat_ws_closes_total',
      'Websocket connections closed by the server, by code',
    ),
    httpRequests: registry.counter('syspat_http_requests_total', 'HTTP requests, by status class'),
    rejected: registry.counter(
      'syspat_rejected_total',
      'Requests or messages refused by a limit, by limit',
    ),
  };
}

export type ServerMetrics = ReturnType<typeof createServerMetrics>;
