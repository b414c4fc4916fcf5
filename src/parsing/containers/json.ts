/**
 * JSON containers of CloudWatch Logs: the Logs Insights API (`aws logs get-query-results`), the Logs
 * Insights console's JSON download, and `aws logs filter-log-events` / `get-log-events` output.
 * Events are walked one by one with their line numbers, so a truncated file still yields every
 * complete event before the cut.
 */
import { countLines, Lines, scanObject, walkArray } from '../split';
import { emptyOutput, type ContainerOutput, type ContainerRecord } from './types';

export type JsonContainerFormat = 'insights-api' | 'insights-json' | 'filter-log-events' | 'get-log-events';

const HEAD = 4096;

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

/** Finds `"key": [` at or after `from` and returns the index of the `[` and its line, or undefined. */
function findArray(text: string, key: string, from: number): { open: number; line: number } | undefined {
  const re = new RegExp(`"${key}"\\s*:\\s*\\[`, 'g');
  re.lastIndex = from;
  const m = re.exec(text);
  if (!m) {
    return undefined;
  }
  const open = m.index + m[0].length - 1;
  return { open, line: 1 + countLines(text, 0, open) };
}

/**
 * The top-level documents of the text (`aws logs … >> file` appends one output after another), each as
 * [start, end). Anything between documents that is not white space is reported as broken.
 */
function documents(text: string, out: ContainerOutput): Array<[number, number]> {
  const docs: Array<[number, number]> = [];
  const lines = new Lines(text);
  let pos = 0;
  while (pos < text.length) {
    const c = text.charCodeAt(pos);
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      const scan = scanObject(text, pos);
      const end = scan.error === undefined ? scan.end : text.length;
      docs.push([pos, end]);
      pos = end;
    } else if (/\s/.test(text[pos])) {
      pos++;
    } else {
      lines.moveTo(pos);
      const eol = lines.eol();
      out.broken.push({
        line: lines.line,
        message: `text between the documents of the output: "${text.slice(pos, Math.min(eol, pos + 60))}"`,
      });
      pos = eol;
    }
  }
  return docs;
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
  for (const [start, docEnd] of documents(text, out)) {
    const at = findArray(text, 'results', start);
    if (!at || at.open >= docEnd) {
      out.notes.push(
        `A document at line ${1 + countLines(text, 0, start)} has no "results" list: it is not Logs Insights output.`
      );
      continue;
    }
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
  for (const [start] of documents(text, out)) {
    if (text.charCodeAt(start) !== 0x5b /* [ */) {
      out.notes.push(
        `The document at line ${1 + countLines(text, 0, start)} is not a JSON array: it is not a Logs Insights console download.`
      );
      continue;
    }
    walkArray(text, start, 1 + countLines(text, 0, start), ({ value, error, line }) => {
      if (error !== undefined || !isObject(value)) {
        out.broken.push({
          line,
          message: error ? `broken Logs Insights row, ${error}` : 'a Logs Insights row that is not an object',
        });
        return;
      }
      out.records.push(insightsRecord(line, value));
    });
  }
  return out;
}

function readLogEvents(text: string, format: 'filter-log-events' | 'get-log-events'): ContainerOutput {
  const out = emptyOutput();
  const seen = new Set<string>();
  let duplicates = 0;
  for (const [start, docEnd] of documents(text, out)) {
    const at = findArray(text, 'events', start);
    if (!at || at.open >= docEnd) {
      out.notes.push(
        `A document at line ${1 + countLines(text, 0, start)} has no "events" list: it is not ${format} output.`
      );
      continue;
    }
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
