/** Keeps the rows of frames whose time is within [from, to]; counts the others. */
import type { DataFrame } from '@grafana/data';

import { LOG_FIELDS } from '../parsing';
import { keepRows } from './filterFrames';

export function filterTimeRange(
  frames: DataFrame[],
  from: number,
  to: number
): { frames: DataFrame[]; outside: number } {
  let outside = 0;
  const kept: DataFrame[] = [];
  for (const frame of frames) {
    const time = frame.fields.find((f) => f.name === LOG_FIELDS.time);
    const values = time?.values as number[] | undefined;
    const inRange = values ? keepRows(frame, (i) => values[i] >= from && values[i] <= to) : frame;
    outside += frame.length - inRange.length;
    if (inRange.length > 0) {
      kept.push(inRange);
    }
  }
  return { frames: kept, outside };
}
