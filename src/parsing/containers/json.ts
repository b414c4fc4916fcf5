/**
 * JSON containers of CloudWatch Logs: the Logs Insights API (`aws logs get-query-results`), the Logs
 * Insights console's JSON download, and `aws logs filter-log-events` / `get-log-events` output.
 * Events are walked one by one with their line numbers, so a truncated file still yields every
 * complete event before the cut.
 */
import { Lines, ScanContext, scanObject, walkArray } from '../split';
import { emptyOutput, type ContainerOutput, type ContainerRecord } from './types';

export type JsonContainerFormat = 'insights-api' | 'insights-json' | 'filter-log-events' | 'get-log-events';

const HEAD = 4096;

/** The start of a console JSON download: an array whose first element has one of Insights' @-fields. */
const INSIGHTS_ROWS = /^\[\s*\{[^{}]*(?<!\\)"@(timestamp|message|logStream|log|ptr)"\s*:/;

/** Which JSON container the text is, from its first keys or first element; undefined for anything else. */
export function detectJsonContainer(text: string): JsonContainerFormat | undefined {
  const head = text.slice(0, HEAD);
  if (/^\s*\{/.test(head)) {
    // An AWS IoT entry is never a container, whatever its first key.
    const firstEntry = /^\s*\{[^{}]*"eventType"\s*:/.test(head);
    if (
      !firstEntry &&
      /^\s*\{\s*"(results|statistics|status|queryLanguage)"\s*:/.test(head) &&
      /"results"\s*:\s*\[/.test(head)
    ) {
      return 'insights-api';
    }
    if (
      !firstEntry &&
      /^\s*\{\s*"(events|nextToken|nextForwardToken|nextBackwardToken|searchedLogStreams)"\s*:/.test(head) &&
      /"events"\s*:\s*\[/.test(head)
    ) {
      return /"nextForwardToken"\s*:/.test(text) ? 'get-log-events' : 'filter-log-events';
    }
    return undefined;
  }
  // `aws logs get-query-results --query results`: the rows alone, each a list of {field, value}.
  if (/^\s*\[\s*\[\s*\{\s*"(field|value)"\s*:/.test(head)) {
    return 'insights-api';
  }
  // Console JSON download: an array of objects with Insights' @-fields, in any key order.
  const firstElement = /^\s*\[\s*\{([^{}]*)/.exec(head);
  if (firstElement && /(?<!\\)"@(timestamp|message|logStream|log|ptr)"\s*:/.test(firstElement[1])) {
    return 'insights-json';
  }
  return undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Finds `"key": [` in the document [from, to) and returns the index of the `[` and its line, or
 * undefined. Only the document is searched: documents that are not this container do not cost a search
 * of the rest of the text each.
 */
function findArray(
  text: string,
  key: string,
  from: number,
  to: number,
  lines: Lines
): { open: number; line: number } | undefined {
  const re = new RegExp(`"${key}"\\s*:\\s*\\[`, 'g');
  const m = re.exec(text.slice(from, to));
  if (!m) {
    return undefined;
  }
  const open = from + m.index + m[0].length - 1;
  lines.moveTo(open);
  return { open, line: lines.line };
}

/**
 * The top-level documents of the text (`aws logs … >> file` appends one output after another), each as
 * [start, end) with its line, in order. Stretches between documents that are not white space are
 * `text`: the reader hands them, and documents that are not its own, to `rest` in order, for the caller
 * to read as what they are (raw entries appended to the output, say).
 */
function documents(text: string): Array<{ start: number; end: number; line: number; text?: true }> {
  const docs: Array<{ start: number; end: number; line: number; text?: true }> = [];
  const lines = new Lines(text);
  const ctx = new ScanContext(text);
  let pos = 0;
  while (pos < text.length) {
    const c = text.charCodeAt(pos);
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      const scan = scanObject(text, pos, ctx);
      // A broken document ends where the scanner would go on: at the end of the text when it was cut
      // short, or where a new value starts where none can (the next document, appended).
      const end = scan.error === undefined ? scan.end : Math.max(scan.resume, pos + 1);
      lines.moveTo(pos);
      docs.push({ start: pos, end, line: lines.line });
      pos = end;
    } else if (/\s/.test(text[pos])) {
      pos++;
    } else {
      lines.moveTo(pos);
      const eol = lines.eol();
      // With its line break: a CSV cut before its CRLF would end in a stray CR.
      docs.push({ start: pos, end: Math.min(eol + 1, text.length), line: lines.line, text: true });
      pos = eol;
    }
  }
  return docs;
}

/**
 * Hands [start, end) back to the caller (called in text order), joined to the stretch before it when
 * only white space lies between them: NDJSON after an output is read as one part, not line by line.
 */
function rest(out: ContainerOutput, text: string, start: number, end: number, line: number): void {
  out.rest ??= [];
  const last = out.rest[out.rest.length - 1];
  if (last && /^\s*$/.test(text.slice(last.end, start))) {
    last.end = end;
  } else {
    out.rest.push({ start, end, line });
  }
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
    return { line, message, escaped: true };
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
  const lines = new Lines(text);
  for (const { start, end: docEnd, line: docLine, text: other } of documents(text)) {
    if (other) {
      rest(out, text, start, docEnd, docLine);
      continue;
    }
    // The rows alone (`--query results`), or the output with its "results" list.
    const bare = text.charCodeAt(start) === 0x5b /* [ */ && /^\[\s*\[/.test(text.slice(start, start + 64));
    const at = bare ? { open: start, line: docLine } : findArray(text, 'results', start, docEnd, lines);
    if (!at) {
      rest(out, text, start, docEnd, docLine);
      continue;
    }
    // Walked within the document only.
    const end = walkArray(
      text,
      at.open,
      at.line,
      ({ value, error, line }) => {
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
      },
      docEnd
    );
    if (end >= docEnd && docEnd === text.length && !text.trimEnd().endsWith('}')) {
      out.notes.push('The Logs Insights output is cut short: the rows before the cut were read.');
    }
    const status = topLevelString(text.slice(start, docEnd), 'status', at.open - start, end - start);
    if (status && status !== 'Complete') {
      out.notes.push(
        status === 'Running' || status === 'Scheduled'
          ? `Partial results: the Logs Insights query was still ${status.toLowerCase()} when this output was saved.`
          : `The Logs Insights query ended with status ${status}: results may be incomplete.`
      );
    }
  }
  return out;
}

function readInsightsJson(text: string): ContainerOutput {
  const out = emptyOutput();
  for (const { start, end, line: docLine, text: other } of documents(text)) {
    // Rows are objects with Insights' @-fields; any other array (`--query 'events[].message'`) is not.
    if (other || !INSIGHTS_ROWS.test(text.slice(start, Math.min(end, start + HEAD)))) {
      rest(out, text, start, end, docLine);
      continue;
    }
    walkArray(
      text,
      start,
      docLine,
      ({ value, error, line }) => {
        if (error !== undefined || !isObject(value)) {
          out.broken.push({
            line,
            message: error ? `broken Logs Insights row, ${error}` : 'a Logs Insights row that is not an object',
          });
          return;
        }
        out.records.push(insightsRecord(line, value));
      },
      end
    );
  }
  return out;
}

function readLogEvents(text: string, format: 'filter-log-events' | 'get-log-events'): ContainerOutput {
  const out = emptyOutput();
  // Events of the pages (documents) before this one: a page fetched twice repeats them.
  const earlierPages = new Set<string>();
  const lines = new Lines(text);
  let duplicates = 0;
  let numericIds = false;
  for (const { start, end: docEnd, line: docLine, text: other } of documents(text)) {
    const at = other ? undefined : findArray(text, 'events', start, docEnd, lines);
    if (!at) {
      rest(out, text, start, docEnd, docLine);
      continue;
    }
    const page = new Set<string>();
    walkArray(
      text,
      at.open,
      at.line,
      ({ value, error, line }) => {
        if (error !== undefined || !isObject(value) || typeof value.message !== 'string') {
          out.broken.push({ line, message: error ? `broken log event, ${error}` : 'a log event without a message' });
          return;
        }
        if (typeof value.eventId === 'number') {
          numericIds = true;
        }
        // The same event in an earlier page is a duplicate. Within one page every event counts, even two
        // identical ones (a device can log the same thing twice in one millisecond), and events that share
        // an eventId but differ are different events: the key is the whole event.
        const key = `${value.eventId ?? ''}|${value.timestamp}|${value.ingestionTime}|${value.logStreamName ?? ''}|${value.message}`;
        if (earlierPages.has(key)) {
          duplicates++;
          return;
        }
        page.add(key);
        out.records.push({ line, message: value.message, escaped: true });
      },
      docEnd
    );
    for (const key of page) {
      earlierPages.add(key);
    }
  }
  if (numericIds) {
    out.notes.push(
      'Some eventIds are JSON numbers: ids of 16 digits or more cannot be held exactly as numbers (AWS writes them as strings); duplicates were found by the whole event instead.'
    );
  }
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
