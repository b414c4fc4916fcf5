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
  const k = selections.length;
  let length = 0;
  for (const s of selections) {
    length += selectionLength(s);
  }
  const selection = new Int32Array(length);
  const row = new Int32Array(length);

  // Each table's next row (position in its selection, table row, time, record), kept in typed arrays.
  const next = new Int32Array(k);
  const headRow = new Int32Array(k);
  const headTime = new Float64Array(k);
  const headRecord = new Float64Array(k);
  const load = (t: number) => {
    const s = selections[t];
    const r = rowAt(s, next[t]);
    headRow[t] = r;
    headTime[t] = s.table.time[r];
    headRecord[t] = s.table.record[r];
  };
  const before = (a: number, b: number): boolean =>
    headTime[a] < headTime[b] ||
    (headTime[a] === headTime[b] && (headRecord[a] < headRecord[b] || (headRecord[a] === headRecord[b] && a < b)));

  // A binary heap of the tables that have rows left, by their next row.
  const heap: number[] = [];
  const down = (i: number) => {
    const size = heap.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) {
        return;
      }
      const c = l + 1 < size && before(heap[l + 1], heap[l]) ? l + 1 : l;
      if (!before(heap[c], heap[i])) {
        return;
      }
      const swap = heap[c];
      heap[c] = heap[i];
      heap[i] = swap;
      i = c;
    }
  };
  for (let t = 0; t < k; t++) {
    if (selectionLength(selections[t]) > 0) {
      load(t);
      heap.push(t);
    }
  }
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) {
    down(i);
  }

  let out = 0;
  while (heap.length > 1) {
    const t = heap[0];
    selection[out] = t;
    row[out++] = headRow[t];
    if (++next[t] === selectionLength(selections[t])) {
      heap[0] = heap[heap.length - 1];
      heap.pop();
    } else {
      load(t);
    }
    down(0);
  }
  if (heap.length === 1) {
    // The last table: the rest of its rows in order.
    const t = heap[0];
    const s = selections[t];
    for (let i = next[t], n = selectionLength(s); i < n; i++) {
      selection[out] = t;
      row[out++] = rowAt(s, i);
    }
  }
  return { length, selection, row };
}
