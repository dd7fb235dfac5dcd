import { readFileSync } from 'node:fs';

/** What the clients and the samplers saw while a dependency was away, and after it came back. */
export interface OutageFigures {
  /** Requests sent during the outage that got an answer, and how many of them were 503 with Retry-After. */
  readonly answered: number;
  readonly unavailableWithRetryAfter: number;
  /** The other answers by status, e.g. `422: 12, 409: 3` (a refusal needs no write; a request still in flight under its key). */
  readonly otherAnswers: string;
  /** Requests sent during the outage that got no answer within the clients' 15 s, or a broken connection. */
  readonly unanswered: number;
  /** The slowest answer of a request sent during the outage, and the 99th percentile. */
  readonly maxAnswerMs: number;
  readonly p99AnswerMs: number;
  /** Largest used heap and resident set of any service instance: before the outage, and from its start to the end of the load. */
  readonly heapBeforeMb: number;
  readonly maxHeapMb: number;
  readonly rssBeforeMb: number;
  readonly maxRssMb: number;
  /** From the dependency's return until the first acknowledged write. */
  readonly recoveredMs: number | null;
}

interface Answer {
  readonly sentAt: number;
  readonly ms: number;
  readonly status: number | undefined;
  readonly retryAfter: string | null;
}

/**
 * Records every request of a phase and samples the instances' memory once a second; the figures
 * are those of the outage window the fault marks with `outageStarted` and `dependencyBack`.
 */
export class OutageObserver {
  private readonly answers: Answer[] = [];
  private readonly samples: { readonly at: number; readonly heapMb: number; readonly rssMb: number }[] = [];
  private outageAt: number | undefined;
  private backAt: number | undefined;
  private sampler: NodeJS.Timeout | undefined;

  constructor(private readonly instances: () => readonly { readonly port: number; readonly pid: number | undefined }[]) {}

  start(): void {
    this.sampler = setInterval(() => void this.sample(), 1_000);
  }

  stop(): void {
    clearInterval(this.sampler);
  }

  outageStarted(): void {
    this.outageAt = Date.now();
  }

  dependencyBack(): void {
    this.backAt = Date.now();
  }

  record(answer: Answer): void {
    this.answers.push(answer);
  }

  figures(): OutageFigures {
    const from = this.outageAt ?? Infinity;
    const to = this.backAt ?? Infinity;
    const during = this.answers.filter((a) => a.sentAt >= from && a.sentAt < to);
    const answered = during.filter((a) => a.status !== undefined);
    const times = answered.map((a) => a.ms).sort((a, b) => a - b);
    const before = this.samples.filter((s) => s.at < from);
    const after = this.samples.filter((s) => s.at >= from);
    const max = (values: number[]): number => Math.round(values.reduce((a, b) => Math.max(a, b), 0));
    const firstAck = this.answers.filter((a) => a.sentAt + a.ms >= to && a.status !== undefined && a.status < 300).map((a) => a.sentAt + a.ms);
    return {
      answered: answered.length,
      unavailableWithRetryAfter: answered.filter((a) => a.status === 503 && a.retryAfter !== null).length,
      otherAnswers: otherAnswers(answered),
      unanswered: during.length - answered.length,
      maxAnswerMs: times[times.length - 1] ?? 0,
      p99AnswerMs: times[Math.floor(times.length * 0.99)] ?? 0,
      heapBeforeMb: max(before.map((s) => s.heapMb)),
      maxHeapMb: max(after.map((s) => s.heapMb)),
      rssBeforeMb: max(before.map((s) => s.rssMb)),
      maxRssMb: max(after.map((s) => s.rssMb)),
      recoveredMs: firstAck.length > 0 && this.backAt !== undefined ? Math.min(...firstAck) - this.backAt : null,
    };
  }

  private async sample(): Promise<void> {
    for (const instance of this.instances()) {
      const rssMb = residentMb(instance.pid);
      const heapMb = await usedHeapMb(instance.port);
      if (rssMb !== undefined || heapMb !== undefined) this.samples.push({ at: Date.now(), heapMb: heapMb ?? 0, rssMb: rssMb ?? 0 });
    }
  }
}

const otherAnswers = (answers: readonly Answer[]): string => {
  const counts = new Map<number, number>();
  for (const { status, retryAfter } of answers) if (status !== undefined && !(status === 503 && retryAfter !== null)) counts.set(status, (counts.get(status) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => a - b).map(([status, count]) => `${status}: ${count}`).join(', ') || 'none';
};

/** The resident set of a process, from /proc (Linux). */
const residentMb = (pid: number | undefined): number | undefined => {
  if (pid === undefined) return undefined;
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmRSS:'));
    return line ? Number(line.split(/\s+/)[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
};

/** The used V8 heap, as the instance's own /metrics says. */
const usedHeapMb = async (port: number): Promise<number | undefined> => {
  try {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(2_000) })).text();
    const line = text.split('\n').find((l) => l.startsWith('nodejs_heap_size_used_bytes '));
    return line ? Number(line.split(' ')[1]) / 2 ** 20 : undefined;
  } catch {
    return undefined;
  }
};
