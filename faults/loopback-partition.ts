/**
 * A network partition between Hazelcast members on their own loopback addresses (127.0.0.2, ...),
 * made with nftables: one table of this run (`hzcqrs_split_<pid>`) whose output chain drops
 * member-to-member packets between the sides and each side's service instances' packets to the
 * other side's members. The instances are told apart by the user id they run as (`meta skuid`),
 * since every client connects from 127.0.0.1. Nothing else on the machine is touched: the
 * harness, PostgreSQL and other clusters' ports pass. Needs root and `nft` (package nftables).
 */
import { execFile } from 'node:child_process';

export interface Side {
  readonly members: readonly { readonly host: string; readonly port: number }[];
  /** User ids the side's service instances run as. */
  readonly clientUids: readonly number[];
}

const TABLE_PREFIX = 'hzcqrs_split_';

const nft = (args: readonly string[], script?: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const child = execFile('nft', [...args], (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      reject(
        new Error(
          missing
            ? 'nft not found: the split-brain fault needs nftables (apt-get install -y --no-install-recommends nftables) and root'
            : `nft ${args.join(' ')} failed: ${stderr.trim() || error.message}`,
        ),
      );
    });
    if (script !== undefined) child.stdin?.end(script);
  });

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The rules that cut `a` from `b`, both ways. */
export const partitionRules = (a: Side, b: Side): string[] => {
  const rules: string[] = [];
  for (const [one, other] of [
    [a, b],
    [b, a],
  ] as const) {
    for (const x of one.members) {
      for (const y of other.members) {
        // Connections x opened to y, and answers from x's own port to y.
        rules.push(`ip saddr ${x.host} ip daddr ${y.host} tcp dport ${y.port} drop`);
        rules.push(`ip saddr ${x.host} tcp sport ${x.port} ip daddr ${y.host} drop`);
      }
    }
    for (const uid of one.clientUids) for (const y of other.members) rules.push(`meta skuid ${uid} ip daddr ${y.host} tcp dport ${y.port} drop`);
  }
  return rules;
};

export class LoopbackPartition {
  private readonly table = `${TABLE_PREFIX}${process.pid}`;
  private installed = false;

  /** Removes the tables of earlier runs whose process is gone (a run killed before its `finally`). */
  static async removeStale(): Promise<string[]> {
    const tables = await nft(['list', 'tables']);
    const removed: string[] = [];
    for (const match of tables.matchAll(/^table inet (hzcqrs_split_(\d+))$/gm)) {
      if (alive(Number(match[2])) && Number(match[2]) !== process.pid) continue;
      await nft(['delete', 'table', 'inet', match[1]!]);
      removed.push(match[1]!);
    }
    return removed;
  }

  async cut(a: Side, b: Side): Promise<void> {
    const rules = partitionRules(a, b).map((rule) => `add rule inet ${this.table} out ${rule}`);
    await nft(
      ['-f', '-'],
      [`add table inet ${this.table}`, `add chain inet ${this.table} out { type filter hook output priority 0; policy accept; }`, ...rules, ''].join('\n'),
    );
    this.installed = true;
  }

  async heal(): Promise<void> {
    if (!this.installed) return;
    await nft(['delete', 'table', 'inet', this.table]);
    this.installed = false;
  }
}
