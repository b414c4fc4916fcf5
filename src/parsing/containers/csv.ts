/**
 * CSV downloads of Logs Insights results (log-formats.md §3): the CloudWatch console's "Download table
 * (CSV)" and the CSV download of a Grafana CloudWatch logs panel. Rows are read with papaparse (RFC 4180:
 * quoted fields with line breaks and doubled quotes), one at a time, tracking the line each row starts on.
 *
 * The delimiter is the one that makes the header line name Insights or Grafana fields: `,` as AWS and
 * Grafana write it, or `;` or tab once a spreadsheet has re-saved the file (`;` where the decimal point is
 * a comma). An Excel `sep=;` first line names it outright.
 *
 * A row cut by an unclosed quote does not swallow the rows after it: reading stops at that row and goes
 * on at the next line that starts a well-formed row; the lines in between become one broken item.
 */
import Papa from 'papaparse';
import { matchLinePrefix } from '../linePrefix';
import { countLines } from '../split';
import { emptyOutput, type ContainerOutput } from './types';

export type CsvFormat = 'insights-csv' | 'grafana-csv';
/** The field delimiters a CSV download can plausibly have, in the order they are tried. */
export type CsvDelimiter = ',' | ';' | '\t';
const DELIMITERS: readonly CsvDelimiter[] = [',', ';', '\t'];

const BOM = '\ufeff';
/** detectCsv looks at most this far for the end of the first line. */
const HEAD = 64 * 1024;
const MESSAGE = '@message';
const TIMESTAMP = '@timestamp';
/** Grafana's display name of `@timestamp`: no milliseconds, in the viewer's time zone. Never used. */
const GRAFANA_TIME = 'Time';
const GRAFANA_LOG = '__log__grafana_internal__';
/** Columns that are not fields of the event. `@ptr` is Logs Insights' opaque pointer to it. */
const HIDDEN = new Set([GRAFANA_LOG, '__logstream__grafana_internal__', '@ptr']);
/**
 * The start of a row whose first column is a time (`@timestamp` or Grafana's `Time`): as AWS and Grafana
 * write it, or as a spreadsheet re-saves it (`10.08.2017 15:37`, `8/10/2017 15:37`, `2017/08/10 15:37`).
 */
const TIME_START = /^"?(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})[ T]\d{1,2}:\d{2}/;
/** Excel's first line naming the delimiter (`sep=;`). */
const SEP_LINE = /^sep=(.)(?:\r\n|\r|\n)/i;
/** Lines listed in a note before "…". */
const LISTED = 5;

/**
 * The fields of one CSV row, strict RFC 4180 (line breaks only inside quoted fields), or undefined where
 * the text is not exactly one well-formed row: a quote or line break in an unquoted field, text after a
 * closing quote, an unclosed quote.
 */
export function splitCsvRow(row: string, delimiter: CsvDelimiter = ','): string[] | undefined {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (row.charAt(i) === '"') {
      let value = '';
      let from = i + 1;
      for (;;) {
        const quote = row.indexOf('"', from);
        if (quote < 0) {
          return undefined;
        }
        value += row.slice(from, quote);
        if (row.charAt(quote + 1) !== '"') {
          i = quote + 1;
          break;
        }
        value += '"';
        from = quote + 2;
      }
      fields.push(value);
    } else {
      const next = row.indexOf(delimiter, i);
      const end = next < 0 ? row.length : next;
      const value = row.slice(i, end);
      if (/["\r\n]/.test(value)) {
        return undefined;
      }
      fields.push(value);
      i = end;
    }
    if (i >= row.length) {
      return fields;
    }
    if (row.charAt(i) !== delimiter) {
      return undefined;
    }
    i++;
  }
}

/** Which download a header names, from its field names; undefined when it names no Insights or Grafana field. */
function formatOf(names: string[]): CsvFormat | undefined {
  if (names[0] === GRAFANA_TIME && (names.includes(GRAFANA_LOG) || names.includes(MESSAGE))) {
    return 'grafana-csv';
  }
  if (names.includes(TIMESTAMP) || names.includes(MESSAGE)) {
    return 'insights-csv';
  }
  return undefined;
}

/**
 * A field name in a header (Insights' `@message`, `resources.RepublishTopic`, `count(*)`, Grafana's
 * `Time`): not a value such as a time or a number, which start with a digit or a sign.
 */
const FIELD_NAME = /^(?![-+.]?\d)/;

/** What the start of a CSV download says about it. */
interface CsvHead {
  format: CsvFormat;
  delimiter: CsvDelimiter;
  /** Where the header line starts in the text without its BOM: after a `sep=` line, else 0. */
  start: number;
}

/**
 * The format and delimiter of a CSV download, from its header line only (after a BOM and an Excel
 * `sep=` line): the first of `,` `;` tab that splits the header into names of Insights or Grafana fields.
 */
function readHead(text: string): CsvHead | undefined {
  let head = text.slice(text.startsWith(BOM) ? 1 : 0, HEAD);
  let start = 0;
  let delimiters = DELIMITERS;
  const sep = SEP_LINE.exec(head);
  if (sep) {
    const named = DELIMITERS.find((d) => d === sep[1]);
    if (!named) {
      return undefined;
    }
    delimiters = [named];
    start = sep[0].length;
    head = head.slice(start);
  }
  const eol = head.search(/[\r\n]/);
  const line = eol < 0 ? head : head.slice(0, eol);
  for (const delimiter of delimiters) {
    const names = splitCsvRow(line, delimiter)?.map((name) => name.trim());
    // A header holds names only: `@timestamp⇥2017-07-13 18:33:51.903` is a row of CLI text output.
    const format = names && names.every((name) => FIELD_NAME.test(name)) ? formatOf(names) : undefined;
    if (format) {
      return { format, delimiter, start };
    }
  }
  return undefined;
}

/**
 * Which CSV download the text is, from its header line only: a header naming `@timestamp` or `@message`
 * is a Logs Insights console download; one whose first field is `Time` and that names Grafana's
 * `__log__grafana_internal__` or `@message` is Grafana's logs panel download. Anything else: undefined.
 * The fields may be separated by `,`, `;` or tab (see csvDelimiter).
 */
export function detectCsv(text: string): CsvFormat | undefined {
  return readHead(text)?.format;
}

/** The delimiter of a CSV download (see detectCsv), or undefined when the text is not one. */
export function csvDelimiter(text: string): CsvDelimiter | undefined {
  return readHead(text)?.delimiter;
}

type Newline = '\r\n' | '\n' | '\r';

/** The line break of the header line (the rows use the same); `\n` when the text has a single line. */
function lineEnding(text: string): Newline {
  const eol = text.search(/[\r\n]/);
  if (eol < 0 || text.charAt(eol) === '\n') {
    return '\n';
  }
  return text.charAt(eol + 1) === '\n' ? '\r\n' : '\r';
}

function papaConfig(newline: Newline, delimiter: CsvDelimiter) {
  return { delimiter, newline, quoteChar: '"', escapeChar: '"', header: false, dynamicTyping: false } as const;
}

/** A line with nothing on it (papaparse's row `[""]`, or spaces only). */
function isBlankRow(row: string[]): boolean {
  return row.length === 1 && row[0].trim() === '';
}

interface Header {
  names: string[];
  /** Column of `@message`, or -1. */
  message: number;
  /** Rows start with a time (first column `@timestamp` or `Time`): used to find where to go on after a broken row. */
  timeFirst: boolean;
}

function readHeader(row: string[]): Header {
  const names = row.map((name) => name.trim());
  return { names, message: names.indexOf(MESSAGE), timeFirst: names[0] === TIMESTAMP || names[0] === GRAFANA_TIME };
}

/** Reading state: the text (without BOM), where lines have been counted to, and what was read. */
interface CsvReader {
  text: string;
  newline: Newline;
  delimiter: CsvDelimiter;
  format: CsvFormat;
  out: ContainerOutput;
  header?: Header;
  /** Lines are counted up to `counted`, where the line is `line`: positions only move forward. */
  counted: number;
  line: number;
  /** Lines of rows whose number of fields differs from the header but whose @message was read. */
  uneven: number[];
}

/** The 1-based line at `pos`, counting only the line breaks since the last call. */
function lineAt(reader: CsvReader, pos: number): number {
  reader.line += countLines(reader.text, reader.counted, pos);
  reader.counted = pos;
  return reader.line;
}

/** One record from a data row: its @message, or the fields it has (without Grafana's columns). */
function readRow(reader: CsvReader, header: Header, row: string[], line: number): void {
  const message = header.message >= 0 ? row[header.message] : undefined;
  const hasMessage = message !== undefined && message.trim() !== '';
  if (row.length !== header.names.length) {
    if (hasMessage) {
      reader.out.records.push({ line, message });
      reader.uneven.push(line);
    } else {
      const what = row.length > header.names.length ? 'too many fields' : 'too few fields';
      reader.out.broken.push({
        line,
        message: `CSV row at line ${line} has ${row.length} fields where the header has ${header.names.length} (${what})`,
      });
    }
    return;
  }
  if (hasMessage) {
    reader.out.records.push({ line, message });
    return;
  }
  const fields: Record<string, unknown> = Object.create(null);
  header.names.forEach((name, i) => {
    const skip = HIDDEN.has(name) || (reader.format === 'grafana-csv' && name === GRAFANA_TIME);
    if (!skip && row[i] !== '') {
      fields[name] = row[i];
    }
  });
  reader.out.records.push({ line, fields });
}

/**
 * Reads rows from `from` to the end; returns the start of the first row with a quote problem (where
 * reading stopped), or undefined when every row was read.
 */
function readRows(reader: CsvReader, from: number): number | undefined {
  let bad: number | undefined;
  let next = from;
  Papa.parse<string[]>(from === 0 ? reader.text : reader.text.slice(from), {
    ...papaConfig(reader.newline, reader.delimiter),
    step: (result, parser) => {
      // meta.cursor is the end of the row (line break included) in the parsed text.
      const start = next;
      next = from + result.meta.cursor;
      if (next === start || isBlankRow(result.data)) {
        return;
      }
      lineAt(reader, start);
      if (result.errors.some((e) => e.type === 'Quotes')) {
        bad = start;
        parser.abort();
        return;
      }
      if (reader.header) {
        readRow(reader, reader.header, result.data, reader.line);
      } else {
        reader.header = readHeader(result.data);
      }
    },
  });
  return bad;
}

/**
 * The start of the first line after the one at `from` that may start a row: any line, or where rows start
 * with a time, a line that starts with one (the lines of a pretty-printed @message never do).
 */
function nextCandidate(reader: CsvReader, header: Header, from: number): number | undefined {
  const { text, newline } = reader;
  let eol = text.indexOf(newline, from);
  while (eol >= 0) {
    const pos = eol + newline.length;
    if (pos >= text.length) {
      return undefined;
    }
    if (!header.timeFirst || TIME_START.test(text.slice(pos, pos + 24))) {
      return pos;
    }
    eol = text.indexOf(newline, pos);
  }
  return undefined;
}

/** Is `text` (up to trailing line breaks) exactly one well-formed row with as many fields as the header? */
function isWholeRow(reader: CsvReader, text: string, header: Header): boolean {
  const { newline } = reader;
  let end = text.length;
  while (end >= newline.length && text.startsWith(newline, end - newline.length)) {
    end -= newline.length;
  }
  return splitCsvRow(text.slice(0, end), reader.delimiter)?.length === header.names.length;
}

/**
 * Where reading can go on after the broken row at `bad`: the first later line where a well-formed row
 * starts and ends just before the next line that may start a row. Each stretch of text is checked once
 * (papaparse would rescan to the end of the text for every candidate of a file full of unclosed quotes).
 */
function resumeAfter(reader: CsvReader, header: Header, bad: number): number | undefined {
  let pos = nextCandidate(reader, header, bad);
  while (pos !== undefined) {
    const next = nextCandidate(reader, header, pos);
    if (isWholeRow(reader, reader.text.slice(pos, next ?? reader.text.length), header)) {
      return pos;
    }
    pos = next;
  }
  return undefined;
}

/** What is wrong with the row at `bad`: a quote left open at the end of its first line, or a stray one. */
function quoteProblem(text: string, bad: number, newline: Newline): string {
  const eol = text.indexOf(newline, bad);
  const first = text.slice(bad, eol < 0 ? text.length : eol);
  const quotes = first.split('"').length - 1;
  return quotes % 2 === 1
    ? 'CSV row with an unclosed quote (")'
    : 'CSV row with a misplaced quote (") in a quoted field';
}

/** Line of the last character that is not blank, at or after `from`. */
function lastLine(reader: CsvReader, from: number): number {
  let end = reader.text.length;
  while (end > from && reader.text.charAt(end - 1).trim() === '') {
    end--;
  }
  return lineAt(reader, Math.max(from, end - 1));
}

function lineList(lines: number[]): string {
  const shown = lines.slice(0, LISTED).join(', ');
  return lines.length > LISTED ? `${shown}, …` : shown;
}

/** Notes about the whole file, once it has been read. */
function addNotes(reader: CsvReader): void {
  const { out, header, uneven } = reader;
  if (!header) {
    out.notes.push('the CSV is empty');
    return;
  }
  if (out.records.length === 0 && out.broken.length === 0) {
    out.notes.push('the CSV has a header but no rows');
  }
  if (uneven.length > 0) {
    const [rows, their] =
      uneven.length === 1
        ? [`CSV row at line ${uneven[0]} has`, 'its']
        : [`${uneven.length} CSV rows (lines ${lineList(uneven)}) have`, 'their'];
    out.notes.push(
      `${rows} a different number of fields than the header (${header.names.length}): ${their} @message was read anyway`
    );
  }
  if (reader.format === 'grafana-csv' && header.message < 0 && !header.names.includes(TIMESTAMP)) {
    out.notes.push(
      'the Grafana CSV has neither @message nor @timestamp: its Time column (no milliseconds, in the ' +
        "viewer's time zone) is not used, so the rows have no exact time"
    );
  }
}

/** Rows with broken quoting read past before the rest of a file is given up as one broken record. */
export const MAX_CSV_RESTARTS = 100;

/**
 * Reads a Logs Insights console CSV download or a Grafana logs panel CSV download: one record per data
 * row, its raw `@message` where the row has one, else its non-empty fields (values as strings, without
 * Grafana's internal columns and, for grafana-csv, without `Time`). Every data row ends up in `records`
 * or in `broken`; blank lines are skipped. The delimiter is the header's (see csvDelimiter), `,` when the
 * header names no Insights or Grafana field (a format chosen by the user).
 */
/**
 * Where the CSV ends: the first line after the header, outside quoted fields, that no CSV row starts
 * like: `{` or `[` (raw entries, another output), a line of an export or CLI output (a time and a log
 * stream, `EVENTS⇥…`), or the header of another CSV download. Else the end of the text.
 */
export function csvEnd(text: string): number {
  let header = false;
  /** Whether the line starting at `start` cannot be a row of this CSV. */
  const foreign = (start: number): boolean => {
    while (text.charCodeAt(start) === 32 || text.charCodeAt(start) === 9) {
      start++;
    }
    const c = text.charCodeAt(start);
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      return true;
    }
    if (c !== 0x22 /* " */ && c !== 0x40 /* @ */ && matchLinePrefix(text, start) !== undefined) {
      // A line of an export or CLI output (an event, or a line around events such as a status line).
      return true;
    }
    if (c === 0x40 /* @ */ || c === 0x22 /* " */ || c === 0x54 /* T */ || c === 0x73 /* s */) {
      const eol = text.indexOf('\n', start);
      if (detectCsv(text.slice(start, eol < 0 ? text.length : eol))) {
        // The header (after an Excel sep= line, maybe), or the header of a second download.
        const second = header;
        header = true;
        return second;
      }
    }
    return false;
  };
  if (foreign(0)) {
    // Not a CSV at all (a format chosen by the user on other text): all of it is handed back.
    return 0;
  }
  // Quotes before the line feed, counted once each (the next one is remembered: a file with few quotes
  // is not searched to its end for every line).
  let quotes = 0;
  let nextQuote = text.indexOf('"');
  for (let lf = text.indexOf('\n'); lf >= 0; lf = text.indexOf('\n', lf + 1)) {
    while (nextQuote >= 0 && nextQuote < lf) {
      quotes++;
      nextQuote = text.indexOf('"', nextQuote + 1);
    }
    if (quotes % 2 === 0 && foreign(lf + 1)) {
      return lf + 1;
    }
  }
  return text.length;
}

export function readCsv(text: string, format: CsvFormat): ContainerOutput {
  const whole = text.startsWith(BOM) ? text.slice(1) : text;
  // What follows the CSV is handed back to be read as what it is.
  const end = csvEnd(whole);
  const body = whole.slice(0, end);
  const head = readHead(body);
  const start = head?.start ?? 0;
  const reader: CsvReader = {
    text: body,
    newline: lineEnding(body.slice(start)),
    delimiter: head?.delimiter ?? ',',
    format,
    out: emptyOutput(),
    counted: start,
    line: start > 0 ? 2 : 1,
    uneven: [],
  };
  let from = start;
  let restarts = 0;
  while (from < body.length) {
    const bad = readRows(reader, from);
    if (bad === undefined) {
      break;
    }
    const badLine = reader.line;
    const problem = quoteProblem(body, bad, reader.newline);
    if (++restarts > MAX_CSV_RESTARTS) {
      // Each restart reads on to the end of the file: past this many broken rows, stop.
      reader.out.broken.push({
        line: badLine,
        message: `${problem}, after ${MAX_CSV_RESTARTS} other broken rows: the rest of the file (lines ${badLine}–${lastLine(reader, bad)}) was not read`,
      });
      break;
    }
    if (!reader.header) {
      reader.out.broken.push({ line: badLine, message: `${problem} in the header: the file could not be read` });
      break;
    }
    const resume = resumeAfter(reader, reader.header, bad);
    if (resume === undefined) {
      const last = lastLine(reader, bad);
      const rest =
        last > badLine
          ? `: the rest of the file (lines ${badLine}–${last}) could not be read`
          : ' at the end of the file (truncated?)';
      reader.out.broken.push({ line: badLine, message: `${problem}${rest}` });
      break;
    }
    const resumeLine = lineAt(reader, resume);
    const skipped = resumeLine - 1 > badLine ? `lines ${badLine}–${resumeLine - 1} skipped, ` : '';
    reader.out.broken.push({ line: badLine, message: `${problem}; ${skipped}reading goes on at line ${resumeLine}` });
    from = resume;
  }
  addNotes(reader);
  if (end < whole.length) {
    const offset = text.length - whole.length;
    reader.out.rest = [{ start: offset + end, end: text.length, line: 1 + countLines(whole, 0, end) }];
  }
  return reader.out;
}
