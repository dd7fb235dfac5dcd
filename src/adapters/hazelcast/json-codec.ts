import { HazelcastJsonValue } from 'hazelcast-client';

/**
 * Canonical JSON: keys sorted at every level, so equal values serialize to equal bytes. The member
 * compares serialized bytes in replaceIfSame, and it indexes and queries JSON values by field.
 */
export const canonicalJson = (value: unknown): string => JSON.stringify(sortKeys(value));

const sortKeys = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const field = (value as Record<string, unknown>)[key];
      if (field !== undefined) sorted[key] = sortKeys(field);
    }
    return sorted;
  }
  return value;
};

export const toJsonValue = (value: unknown): HazelcastJsonValue => new HazelcastJsonValue(canonicalJson(value));

/** Parses once per stored value: a Near Cache in OBJECT format hands back the same instance on every hit. */
const parsed = new WeakMap<HazelcastJsonValue, unknown>();

export const fromJsonValue = <T>(value: HazelcastJsonValue | null | undefined): T | undefined => {
  if (value === null || value === undefined) return undefined;
  if (parsed.has(value)) return parsed.get(value) as T;
  const result = JSON.parse(value.toString()) as T;
  parsed.set(value, result);
  return result;
};
