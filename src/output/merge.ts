/**
 * The selected rows of several tables as one sequence in time order, for the outputs that read across
 * tables row by row (the combined table, sessions). Each table is already in time order, so this is a
 * k-way merge (a binary heap of the tables' next rows), linear in the rows for the few tables a parse
 * has. Equal times keep the input's order (the rows' record numbers, which all tables of one parse
 * share), then the selections' order.
 */
import { rowAt, selectionLength, type Selection } from './types';

export interface MergedRows {
  length: number;
  /** Index into the selections of each merged row. */
  selection: Int32Array;
  /** Row of its table (not of the selection) of each merged row. */
  row: Int32Array;
}

export function mergeByTime(selections: readonly Selection[]): MergedRows {
  let length = 0;
  for (const s of selections) {
    length += selectionLength(s);
  }
  const selection = new Int32Array(length);
  const row = new Int32Array(length);

  // Heap of selection indices, ordered by (time, record, selection index) of their next row.
  const next = new Int32Array(selections.length);
  const heap: number[] = [];
  const time = (k: number) => selections[k].table.time[rowAt(selections[k], next[k])];
  const before = (a: number, b: number): boolean => {
    const ta = time(a);
    const tb = time(b);
    if (ta !== tb) {
      return ta < tb;
    }
    const ra = selections[a].table.record[rowAt(selections[a], next[a])];
    const rb = selections[b].table.record[rowAt(selections[b], next[b])];
    return ra !== rb ? ra < rb : a < b;
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      if (l >= heap.length) {
        return;
      }
      const c = l + 1 < heap.length && before(heap[l + 1], heap[l]) ? l + 1 : l;
      if (!before(heap[c], heap[i])) {
        return;
      }
      const swap = heap[c];
      heap[c] = heap[i];
      heap[i] = swap;
      i = c;
    }
  };
  selections.forEach((s, k) => {
    if (selectionLength(s) > 0) {
      heap.push(k);
    }
  });
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) {
    down(i);
  }

  let out = 0;
  while (heap.length > 0) {
    const k = heap[0];
    const s = selections[k];
    const n = selectionLength(s);
    if (heap.length === 1) {
      // The last table: the rest of its rows in order.
      for (let i = next[k]; i < n; i++) {
        selection[out] = k;
        row[out++] = rowAt(s, i);
      }
      break;
    }
    selection[out] = k;
    row[out++] = rowAt(s, next[k]);
    next[k]++;
    if (next[k] === n) {
      heap[0] = heap[heap.length - 1];
      heap.pop();
    }
    down(0);
  }
  return { length, selection, row };
}
