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
  const rows: number[] = [];
  for (let i = 0; i < frame.length; i++) {
    if (keep(i)) {
      rows.push(i);
    }
  }
  if (rows.length === frame.length) {
    return frame;
  }
  return {
    ...frame,
    length: rows.length,
    fields: frame.fields.map((f) => ({ ...f, values: rows.map((i) => f.values[i]) })),
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
      kept = status ? keepRows(frame, (i) => statuses.has(status.values[i])) : keepRows(frame, () => false);
    }
    if (kept.length > 0) {
      out.push(kept);
    }
  }
  return out;
}
