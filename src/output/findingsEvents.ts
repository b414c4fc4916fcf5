/**
 * The machinery of the findings detectors (findings.ts): events gathered from the selected rows into
 * growable typed arrays (no object per row), grouped by a key (clientId, source IP, rule, job…) with a
 * stable counting sort, and cut into bursts: runs of events where some window of `windowMs` holds at
 * least `min` of them.
 */
import { fieldValues, type EventTable } from '../parsing/table';
import { selectionLength, type Selection } from './types';

/** A column's values, or undefined when the table has no such column. */
export function columnValues(table: EventTable, name: string): readonly unknown[] | undefined {
  const v = fieldValues(table, name);
  return v && 'values' in v ? v.values : undefined;
}

export function stringAt(values: readonly unknown[] | undefined, row: number): string | null {
  const v = values?.[row];
  return typeof v === 'string' && v !== '' ? v : null;
}

export function isFailure(status: unknown): boolean {
  return typeof status === 'string' && status.toLowerCase() === 'failure';
}

/** Calls `visit(row)` for each selected row of a selection, in time order. */
export function eachRow(s: Selection, visit: (row: number) => void): void {
  const n = selectionLength(s);
  const rows = s.rows;
  if (rows) {
    for (let i = 0; i < n; i++) {
      visit(rows[i]);
    }
  } else {
    for (let i = 0; i < n; i++) {
      visit(i);
    }
  }
}

/** Events: per event its key (an index into `keys`), time, selection index and table row. */
export class Events {
  readonly keys: string[] = [];
  private readonly codes = new Map<string, number>();
  key = new Int32Array(64);
  time = new Float64Array(64);
  sel = new Int32Array(64);
  row = new Int32Array(64);
  length = 0;

  /** The code of a key, added when new. */
  code(key: string): number {
    let c = this.codes.get(key);
    if (c === undefined) {
      c = this.keys.length;
      this.codes.set(key, c);
      this.keys.push(key);
    }
    return c;
  }

  push(key: string, time: number, sel: number, row: number): void {
    if (this.length === this.key.length) {
      const grow = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.key = grow(this.key, (n) => new Int32Array(n));
      this.time = grow(this.time, (n) => new Float64Array(n));
      this.sel = grow(this.sel, (n) => new Int32Array(n));
      this.row = grow(this.row, (n) => new Int32Array(n));
    }
    const i = this.length++;
    this.key[i] = this.code(key);
    this.time[i] = time;
    this.sel[i] = sel;
    this.row[i] = row;
  }

  /**
   * The events grouped by key: `order` holds event indices, key k's from offsets[k] to offsets[k + 1],
   * each group in time order.
   */
  grouped(): { order: Int32Array; offsets: Int32Array } {
    const k = this.keys.length;
    const offsets = new Int32Array(k + 1);
    for (let i = 0; i < this.length; i++) {
      offsets[this.key[i] + 1]++;
    }
    for (let c = 0; c < k; c++) {
      offsets[c + 1] += offsets[c];
    }
    const next = offsets.slice(0, k);
    const order = new Int32Array(this.length);
    for (let i = 0; i < this.length; i++) {
      order[next[this.key[i]]++] = i;
    }
    // events of one selection arrive in time order; several selections may interleave within a group
    for (let c = 0; c < k; c++) {
      let sorted = true;
      for (let j = offsets[c] + 1; j < offsets[c + 1]; j++) {
        if (this.time[order[j]] < this.time[order[j - 1]]) {
          sorted = false;
          break;
        }
      }
      if (!sorted) {
        const group = Array.from(order.subarray(offsets[c], offsets[c + 1]));
        group.sort((a, b) => this.time[a] - this.time[b] || a - b);
        order.set(group, offsets[c]);
      }
    }
    return { order, offsets };
  }
}

/** A burst: event indices (into Events), in time order. */
export interface Burst {
  key: string;
  events: Int32Array;
}

/**
 * Bursts of each key: maximal runs of events each of which lies in some window of `windowMs` holding at
 * least `min` events of the key (runs closer than the window are one burst).
 */
export function burstsOf(events: Events, windowMs: number, min: number): Burst[] {
  const { order, offsets } = events.grouped();
  const out: Burst[] = [];
  const time = events.time;
  const need = Math.max(1, Math.ceil(min));
  for (let c = 0; c < events.keys.length; c++) {
    const lo = offsets[c];
    const hi = offsets[c + 1];
    if (hi - lo < need) {
      continue;
    }
    let i = lo;
    let runStart = -1;
    let runEnd = -1;
    const flush = () => {
      if (runStart >= 0) {
        out.push({ key: events.keys[c], events: order.slice(runStart, runEnd + 1) });
      }
    };
    for (let j = lo; j < hi; j++) {
      const tj = time[order[j]];
      while (tj - time[order[i]] > windowMs) {
        i++;
      }
      if (j - i + 1 < need) {
        continue;
      }
      if (runStart >= 0 && (i <= runEnd || time[order[i]] - time[order[runEnd]] <= windowMs)) {
        runEnd = j;
      } else {
        flush();
        runStart = i;
        runEnd = j;
      }
    }
    flush();
  }
  return out;
}
