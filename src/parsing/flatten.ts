/**
 * Nested objects become dotted keys (`resources.RepublishTopic`), the way Logs Insights names them.
 * Arrays stay whole. Rows are prototype-free, so a key such as `__proto__` is an ordinary key.
 */
import type { Entry } from './classify';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function flattenInto(target: Entry, prefix: string, source: Record<string, unknown>): void {
  for (const key of Object.keys(source)) {
    const value = source[key];
    if (isPlainObject(value)) {
      flattenInto(target, `${prefix}${key}.`, value);
    } else {
      target[`${prefix}${key}`] = value;
    }
  }
}

/** A prototype-free row with nested objects flattened; the entry is copied, never changed. */
export function flattenEntry(entry: Entry): Entry {
  const row: Entry = Object.create(null);
  flattenInto(row, '', entry);
  return row;
}
