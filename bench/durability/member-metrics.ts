import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * JVM flags that make a member write its own statistics (Hazelcast's diagnostics, metrics plugin)
 * every `periodSeconds` to a file in `dir`: per map, entries and their memory cost as the member
 * counts them.
 */
export const metricsOptions = (dir: string, periodSeconds: number): string[] => [
  '-Dhazelcast.diagnostics.enabled=true',
  `-Dhazelcast.diagnostics.directory=${dir}`,
  `-Dhazelcast.diagnostics.metrics.period.seconds=${periodSeconds}`,
];

export interface MapCost {
  readonly entries: number;
  readonly ownedBytes: number;
  readonly backupBytes: number;
}

const LINE = /^\S+ \S+ (\d+) Metric\[\[name=([^,\]]+),unit=\w+,metric=(map\.ownedEntryCount|map\.ownedEntryMemoryCost|map\.backupEntryMemoryCost)\]=(\d+)\]/;

/**
 * The newest figures written at or after `sinceMs` for each map of `namespace` by the member on
 * `port`: entries held and bytes, as the member's statistics give them.
 */
export const mapCosts = (dir: string, port: number, namespace: string, sinceMs: number): Map<string, MapCost> => {
  const newest = new Map<string, { at: number; value: number }>();
  const files = readdirSync(dir).filter((name) => name.startsWith('diagnostics-') && name.includes(`_${port}-`));
  for (const file of files) {
    for (const line of readFileSync(path.join(dir, file), 'utf8').split('\n')) {
      const match = LINE.exec(line);
      if (!match) continue;
      const [, at, name, metric, value] = match;
      if (Number(at) < sinceMs || !name!.startsWith(`${namespace}.`)) continue;
      const key = `${name!.slice(namespace.length + 1)}\0${metric!}`;
      if ((newest.get(key)?.at ?? -1) <= Number(at)) newest.set(key, { at: Number(at), value: Number(value) });
    }
  }
  const costs = new Map<string, MapCost>();
  for (const [key, { value }] of newest) {
    const [map, metric] = key.split('\0') as [string, string];
    const cost = costs.get(map) ?? { entries: 0, ownedBytes: 0, backupBytes: 0 };
    costs.set(map, {
      entries: metric === 'map.ownedEntryCount' ? value : cost.entries,
      ownedBytes: metric === 'map.ownedEntryMemoryCost' ? value : cost.ownedBytes,
      backupBytes: metric === 'map.backupEntryMemoryCost' ? value : cost.backupBytes,
    });
  }
  return costs;
};
