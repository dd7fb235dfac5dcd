/**
 * JSON with object keys sorted at every level (undefined fields left out): values equal in content
 * give equal text whatever their key order. Stores compare records by it, Hazelcast compares the
 * bytes in replaceIfSame, and request fingerprints hash it.
 */
export const canonicalJson = (value: unknown): string => JSON.stringify(sortKeys(value)) ?? 'null';

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
