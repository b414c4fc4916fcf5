/**
 * Filters on parsed frames: by component and eventType (whole frames) and by status (rows).
 * Frames are never changed; a filtered frame is a new frame sharing field configs.
 */
import type { DataFrame } from '@grafana/data';

import type { IotFrameMeta } from '../parsing';

export interface FrameFilter {
  components: readonly string[];
  eventTypes: readonly string[];
  statuses: readonly string[];
}

function frameMeta(frame: DataFrame): IotFrameMeta | undefined {
  return frame.meta?.custom as IotFrameMeta | undefined;
}

export function keepRows(frame: DataFrame, keep: (i: number) => boolean): DataFrame {
  const kept = new Int32Array(frame.length);
  let count = 0;
  for (let i = 0; i < frame.length; i++) {
    if (keep(i)) {
      kept[count++] = i;
    }
  }
  return count === frame.length ? frame : pickRows(frame, kept.subarray(0, count));
}

/**
 * Whether every value of a column is the same (all null, or one accountId): remembered per column, as
 * parsed frames are cached and filtered again and again.
 */
const constants = new WeakMap<unknown[], { value: unknown } | null>();

function constantOf(values: unknown[]): { value: unknown } | null {
  let known = constants.get(values);
  if (known === undefined) {
    const first = values[0];
    let same = true;
    for (let i = 1; i < values.length && same; i++) {
      same = values[i] === first;
    }
    known = same ? { value: first } : null;
    constants.set(values, known);
  }
  return known;
}

/**
 * A frame of the given rows (tight loops: this runs on every re-run of a filtered query). Its cost is
 * writing fresh memory, so fields that share values (severity and logLevel) share the copy, and columns
 * of one constant (documented attributes an event type never has) share one filled array.
 */
function pickRows(frame: DataFrame, rows: Int32Array): DataFrame {
  const n = rows.length;
  const copies = new Map<unknown[], unknown[]>();
  const fills = new Map<unknown, unknown[]>();
  return {
    ...frame,
    length: n,
    fields: frame.fields.map((f) => {
      const source = f.values;
      let values = copies.get(source);
      if (values === undefined) {
        const constant = constantOf(source);
        if (constant) {
          values = fills.get(constant.value);
          if (values === undefined) {
            values = new Array(n).fill(constant.value);
            fills.set(constant.value, values);
          }
        } else {
          values = new Array(n);
          for (let j = 0; j < n; j++) {
            values[j] = source[rows[j]];
          }
        }
        copies.set(source, values);
      }
      return { ...f, values };
    }),
  };
}

/** Frames that pass the filter, empty frames dropped. Empty filter lists keep everything. */
export function filterFrames(frames: readonly DataFrame[], filter: FrameFilter): DataFrame[] {
  const components = new Set(filter.components);
  const eventTypes = new Set(filter.eventTypes);
  const statuses = new Set(filter.statuses);
  const out: DataFrame[] = [];
  for (const frame of frames) {
    const meta = frameMeta(frame);
    if (components.size > 0 && !components.has(meta?.component ?? '')) {
      continue;
    }
    if (eventTypes.size > 0 && !eventTypes.has(frame.name ?? '')) {
      continue;
    }
    let kept = frame;
    if (statuses.size > 0) {
      const status = frame.fields.find((f) => f.name === 'status');
      const values = status?.values;
      kept = values ? keepRows(frame, (i) => statuses.has(values[i])) : keepRows(frame, () => false);
    }
    if (kept.length > 0) {
      out.push(kept);
    }
  }
  return out;
}
