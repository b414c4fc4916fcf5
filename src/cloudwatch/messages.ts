/**
 * CloudWatch logs frames → the entries as text for the plugin's parser.
 *
 * Only `@message` is read: the CloudWatch data source types every other field by its first value
 * (`accountId` and `jobId` "002" become numbers, losing their leading zeros; strings shaped like
 * `YYYY-MM-DD HH:mm:ss.SSS` become times), so the discovered fields are not trusted. The parser reads
 * every attribute from the raw entry instead. The hidden fields the data source adds
 * (`__log__grafana_internal__`, `__logstream__grafana_internal__`) and the others are ignored.
 *
 * Nothing is lost silently: rows without a message are counted (`missing`), and an answer of
 * INSIGHTS_ROW_CAP rows or more is marked `capped` (Logs Insights stops there).
 */
import type { DataFrame } from '@grafana/data';

import { INSIGHTS_ROW_CAP } from './types';

/** The field that holds the raw entry. */
export const MESSAGE_FIELD = '@message';

export interface InsightsMessages {
  /** The messages joined by '\n', in the frames' row order. */
  text: string;
  /** Rows of the frames (with or without a message). */
  rows: number;
  /** True when rows ≥ INSIGHTS_ROW_CAP: Logs Insights may have left entries out. */
  capped: boolean;
  /** Rows without a message (no `@message` field, or null / empty there): not in `text`. */
  missing: number;
}

/** A message as text: strings as they are, objects (a parsed message) as JSON, other values as text. */
function messageText(value: unknown): string | undefined {
  if (value === null || value === undefined) {
    return undefined;
  }
  if (typeof value === 'string') {
    return value === '' ? undefined : value;
  }
  if (typeof value === 'object') {
    return JSON.stringify(value);
  }
  return String(value);
}

/** Rows of a frame: its length, or its longest field when the length is absent. */
function rowsOf(frame: DataFrame): number {
  if (typeof frame.length === 'number' && Number.isFinite(frame.length)) {
    return frame.length;
  }
  return frame.fields.reduce((most, f) => Math.max(most, f.values?.length ?? 0), 0);
}

/** The entries of CloudWatch logs frames (the frames of one query) as text for the parser. */
export function messagesOf(frames: readonly DataFrame[]): InsightsMessages {
  const texts: string[] = [];
  let rows = 0;
  let missing = 0;
  for (const frame of frames) {
    const n = rowsOf(frame);
    rows += n;
    const field = frame.fields.find((f) => f.name === MESSAGE_FIELD);
    if (!field) {
      missing += n;
      continue;
    }
    for (let i = 0; i < n; i++) {
      const text = messageText(field.values[i]);
      if (text === undefined) {
        missing++;
      } else {
        texts.push(text);
      }
    }
  }
  return { text: texts.join('\n'), rows, capped: rows >= INSIGHTS_ROW_CAP, missing };
}
