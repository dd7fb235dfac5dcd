import { HazelcastJsonValue } from 'hazelcast-client';
import { canonicalJson } from '../shared/canonical-json.js';

/** The member compares serialized bytes in replaceIfSame, and indexes and queries JSON values by field. */
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
