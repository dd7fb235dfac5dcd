export type FlowKind = 'command' | 'query';

export interface FlowSeries {
  readonly kind: FlowKind;
  readonly name: string;
  readonly outcome: string;
  /** Answers per second, oldest first; the last is the second `endsAt` falls in. */
  readonly counts: readonly number[];
  readonly total: number;
}

export interface Flow {
  readonly endsAt: string;
  readonly stepSeconds: 1;
  readonly seconds: number;
  readonly series: readonly FlowSeries[];
}

interface Counts {
  readonly kind: FlowKind;
  readonly name: string;
  readonly outcome: string;
  /** `counts[s % window]` counts second `s` while `seconds[s % window] === s`. */
  readonly counts: number[];
  readonly seconds: number[];
}

/** Three minutes of answers per second, by command or query and outcome: the console's flow charts. */
export const FLOW_WINDOW_SECONDS = 180;

/** Counts answers per second in a ring per series; old seconds are overwritten, never swept. */
export class FlowRecorder {
  private readonly series = new Map<string, Counts>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly window = FLOW_WINDOW_SECONDS,
  ) {}

  record(kind: FlowKind, name: string, outcome: string): void {
    const key = `${kind}\0${name}\0${outcome}`;
    let counts = this.series.get(key);
    if (!counts) {
      counts = { kind, name, outcome, counts: new Array<number>(this.window).fill(0), seconds: new Array<number>(this.window).fill(-1) };
      this.series.set(key, counts);
    }
    const second = Math.floor(this.now() / 1000);
    const slot = second % this.window;
    if (counts.seconds[slot] !== second) {
      counts.seconds[slot] = second;
      counts.counts[slot] = 0;
    }
    counts.counts[slot]!++;
  }

  /** Every series with an answer in the window, commands first, then by name and outcome. */
  snapshot(): Flow {
    const nowMs = this.now();
    const last = Math.floor(nowMs / 1000);
    const series: FlowSeries[] = [];
    for (const { kind, name, outcome, counts, seconds } of this.series.values()) {
      const values = Array.from({ length: this.window }, (_, i) => {
        const second = last - this.window + 1 + i;
        const slot = second % this.window;
        return seconds[slot] === second ? counts[slot]! : 0;
      });
      const total = values.reduce((sum, value) => sum + value, 0);
      if (total > 0) series.push({ kind, name, outcome, counts: values, total });
    }
    series.sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name) || a.outcome.localeCompare(b.outcome));
    return { endsAt: new Date(nowMs).toISOString(), stepSeconds: 1, seconds: this.window, series };
  }
}
