/**
 * JSON containers of CloudWatch Logs: the Logs Insights API (`aws logs get-query-results`), the Logs
 * Insights console's JSON download, and `aws logs filter-log-events` / `get-log-events` output.
 * Events are walked one by one with their line numbers, so a truncated file still yields every
 * complete event before the cut.
 */
import { countLines, walkArray } from '../split';
import { emptyOutput, type ContainerOutput, type ContainerRecord } from './types';

export type JsonContainerFormat = 'insights-api' | 'insights-json' | 'filter-log-events' | 'get-log-events';

const HEAD = 4096;

/** Which JSON container the text is, from its first key or first element; undefined for anything else. */
export function detectJsonContainer(text: string): JsonContainerFormat | undefined {
  const head = text.slice(0, HEAD);
  if (/^\s*\{\s*"(results|statistics|status|queryLanguage)"\s*:/.test(head) && /"results"\s*:\s*\[/.test(text)) {
    return 'insights-api';
  }
  if (
    /^\s*\{\s*"(events|nextToken|nextForwardToken|nextBackwardToken|searchedLogStreams)"\s*:/.test(head) &&
    /"events"\s*:\s*\[/.test(text)
  ) {
    return /"nextForwardToken"\s*:/.test(text) ? 'get-log-events' : 'filter-log-events';
  }
  if (
    /^\s*\[\s*\{\s*"@(timestamp|message|logStream|log|ptr)"\s*:/.test(head) ||
    /^\s*\[\s*\{\s*"[^"]+"\s*:\s*"[^"]*"\s*,\s*"@(timestamp|message)"/.test(head)
  ) {
    return 'insights-json';
  }
  return undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Finds `"key": [` and returns the index of the `[` and its line, or undefined. */
function findArray(text: string, key: string): { open: number; line: number } | undefined {
  const m = new RegExp(`"${key}"\\s*:\\s*\\[`).exec(text);
  if (!m) {
    return undefined;
  }
  const open = m.index + m[0].length - 1;
  return { open, line: 1 + countLines(text, 0, open) };
}

/** A value of the document outside the walked array, by a light search (`"status": "Running"`). */
function topLevelString(text: string, key: string, skipFrom: number, skipTo: number): string | undefined {
  const re = new RegExp(`"${key}"\\s*:\\s*"([^"]*)"`, 'g');
  for (const m of text.matchAll(re)) {
    if (m.index < skipFrom || m.index >= skipTo) {
      return m[1];
    }
  }
  return undefined;
}

/** A record from an Insights row (API `[{field, value}]` or console object): @message, or the selected fields. */
function insightsRecord(line: number, row: Record<string, unknown>): ContainerRecord {
  const message = row['@message'];
  if (typeof message === 'string' && message.trim() !== '') {
    return { line, message };
  }
  if (isObject(message)) {
    return { line, object: message };
  }
  const fields: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(row)) {
    if (key !== '@ptr' && key !== '@message' && row[key] !== '' && row[key] !== null && row[key] !== undefined) {
      fields[key] = row[key];
    }
  }
  return { line, fields };
}

function readInsightsApi(text: string): ContainerOutput {
  const out = emptyOutput();
  const at = findArray(text, 'results')!;
  const end = walkArray(text, at.open, at.line, ({ value, error, line }) => {
    if (error !== undefined || !Array.isArray(value)) {
      out.broken.push({
        line,
        message: error
          ? `broken Logs Insights result row, ${error}`
          : 'a Logs Insights result row that is not a list of {field, value}',
      });
      return;
    }
    const row: Record<string, unknown> = Object.create(null);
    for (const cell of value) {
      if (isObject(cell) && typeof cell.field === 'string') {
        row[cell.field] = cell.value;
      }
    }
    out.records.push(insightsRecord(line, row));
  });
  if (end >= text.length && text.trimEnd().endsWith(']') === false) {
    out.notes.push('The Logs Insights output is cut short: the rows before the cut were read.');
  }
  const status = topLevelString(text, 'status', at.open, end);
  if (status && status !== 'Complete') {
    out.notes.push(
      status === 'Running' || status === 'Scheduled'
        ? `Partial results: the Logs Insights query was still ${status.toLowerCase()} when this output was saved.`
        : `The Logs Insights query ended with status ${status}: results may be incomplete.`
    );
  }
  return out;
}

function readInsightsJson(text: string): ContainerOutput {
  const out = emptyOutput();
  const open = text.indexOf('[');
  walkArray(text, open, 1 + countLines(text, 0, open), ({ value, error, line }) => {
    if (error !== undefined || !isObject(value)) {
      out.broken.push({
        line,
        message: error ? `broken Logs Insights row, ${error}` : 'a Logs Insights row that is not an object',
      });
      return;
    }
    out.records.push(insightsRecord(line, value));
  });
  return out;
}

function readLogEvents(text: string, format: 'filter-log-events' | 'get-log-events'): ContainerOutput {
  const out = emptyOutput();
  const at = findArray(text, 'events')!;
  const seen = new Set<string>();
  let duplicates = 0;
  walkArray(text, at.open, at.line, ({ value, error, line }) => {
    if (error !== undefined || !isObject(value) || typeof value.message !== 'string') {
      out.broken.push({ line, message: error ? `broken log event, ${error}` : 'a log event without a message' });
      return;
    }
    // Pages fetched twice repeat events: eventId is unique (filter-log-events); get-log-events has none.
    const key =
      typeof value.eventId === 'string'
        ? value.eventId
        : `${value.timestamp}|${value.ingestionTime}|${value.logStreamName ?? ''}|${value.message}`;
    if (seen.has(key)) {
      duplicates++;
      return;
    }
    seen.add(key);
    out.records.push({ line, message: value.message });
  });
  if (duplicates > 0) {
    out.skipped += duplicates;
    out.notes.push(
      `${duplicates} duplicate log event${duplicates === 1 ? '' : 's'} (the same event in two pages of ${format} output) skipped.`
    );
  }
  return out;
}

export function readJsonContainer(text: string, format: JsonContainerFormat): ContainerOutput {
  switch (format) {
    case 'insights-api':
      return readInsightsApi(text);
    case 'insights-json':
      return readInsightsJson(text);
    default:
      return readLogEvents(text, format);
  }
}
