/**
 * Step 2: text → records. Finds JSON objects however they are laid out (one per line, pretty-printed
 * over many lines with any indentation, concatenated with nothing between them, inside a JSON array)
 * and everything else as one text record per line.
 *
 * A broken object never swallows the entries after it: the scanner stops at the first sign that the
 * object cannot go on (a raw line break inside a string, a `{` where a key must come, a mismatched
 * bracket, nesting deeper than MAX_DEPTH) and resumes at the next line that starts a JSON value.
 */

export const MAX_DEPTH = 64;

/** Longest record read: CloudWatch Logs events are at most 256 KB, so anything longer is not one. */
export const MAX_RECORD_CHARS = 1024 * 1024;

function tooLong(length: number): string {
  return `a record of ${(length / 1024 / 1024).toFixed(1)} MB, longer than the ${MAX_RECORD_CHARS / 1024 / 1024} MB limit (CloudWatch Logs events are at most 256 KB)`;
}

const LF = 10;
const CR = 13;
const TAB = 9;
const SPACE = 32;
const QUOTE = 34;
const COMMA = 44;
const COLON = 58;
const BACKSLASH = 92;
const LBRACKET = 91;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;
const NBSP = 0xa0;
const BOM = 0xfeff;

export interface RecordVisitor {
  /** A record that parsed as JSON. `raw` is its source text; `multiLine` when it spans lines. */
  json(value: unknown, raw: string, line: number, multiLine: boolean): void;
  /** A record that did not: broken JSON (`error` says why) or a line of text (`error` undefined). */
  invalid(raw: string, line: number, error: string | undefined): void;
  /** A record longer than MAX_RECORD_CHARS, not parsed. */
  tooLong?(raw: string, line: number, message: string): void;
}

export interface SplitSummary {
  /** Some object spanned several lines. */
  multiLine: boolean;
  /** Some line held several objects. */
  sharedLine: boolean;
  /** A `[` was found between records. */
  array: boolean;
  /** JSON records found (valid or broken). */
  jsonRecords: number;
  textRecords: number;
}

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB || c === CR || c === LF || c === NBSP || c === BOM || c === 0x0c || c === 0x0b;
}

interface Scan {
  /** End (exclusive) of the record's text. */
  end: number;
  /** Where splitting goes on. */
  resume: number;
  error?: string;
}

/** May a `{` stand here, given the last significant character and the innermost open container? */
function valueExpected(last: number, container: number): boolean {
  return last === COLON || last === LBRACKET || (last === COMMA && container === LBRACKET);
}

/**
 * Index of the first value on the next line (after `from`) whose first non-blank character opens a
 * JSON value and whose indentation is at most `maxIndent`, looking at lines that start before `to`; or -1.
 */
export function nextValueLine(text: string, from: number, maxIndent = Infinity, to = text.length): number {
  const n = text.length;
  let lf = text.indexOf('\n', from);
  while (lf >= 0 && lf < to) {
    let i = lf + 1;
    while (i < n && isBlank(text.charCodeAt(i)) && text.charCodeAt(i) !== LF) {
      i++;
    }
    const c = text.charCodeAt(i);
    if ((c === LBRACE || c === LBRACKET) && i - lf - 1 <= maxIndent) {
      return i;
    }
    lf = text.indexOf('\n', i);
  }
  return -1;
}

/**
 * Where to go on after the object starting at `start` broke at `breakAt`: at the first later line
 * that starts a value no deeper than the broken object itself (the next entry of the same layout),
 * so that an object cut short never swallows the entries after it, even where one of them would fit
 * into it as a value. Failing that, `fallback`, or the next line after the break that starts a value.
 */
function resumeAfter(text: string, start: number, breakAt: number, fallback?: number): number {
  const indent = start - (text.lastIndexOf('\n', start - 1) + 1);
  const sameLevel = nextValueLine(text, start, indent, breakAt);
  if (sameLevel >= 0 && sameLevel <= breakAt) {
    return sameLevel;
  }
  if (fallback !== undefined) {
    return fallback;
  }
  const any = nextValueLine(text, breakAt);
  return any >= 0 ? any : text.length;
}

/** Scans the object starting at `start` (a `{`) to its matching `}`. */
export function scanObject(text: string, start: number): Scan {
  const n = text.length;
  const stack: number[] = [];
  let last = 0;
  let i = start;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i++;
      for (;;) {
        if (i >= n) {
          return { end: n, resume: resumeAfter(text, start, n), error: 'the text ends inside a string (truncated?)' };
        }
        const d = text.charCodeAt(i);
        if (d === QUOTE) {
          break;
        }
        if (d === LF || d === CR) {
          return {
            end: i,
            resume: resumeAfter(text, start, i),
            error: 'a string is not closed before the end of its line (truncated?)',
          };
        }
        i += d === BACKSLASH && text.charCodeAt(i + 1) !== LF ? 2 : 1;
      }
      last = QUOTE;
      i++;
      continue;
    }
    if (c === LBRACE || c === LBRACKET) {
      if (c === LBRACE && stack.length > 0 && !valueExpected(last, stack[stack.length - 1])) {
        return {
          end: i,
          resume: resumeAfter(text, start, i, i),
          error: 'a new object starts before this one is closed (truncated?)',
        };
      }
      if (stack.length >= MAX_DEPTH) {
        return {
          end: i,
          resume: resumeAfter(text, start, i),
          error: `objects are nested deeper than ${MAX_DEPTH} levels`,
        };
      }
      stack.push(c);
      last = c;
      i++;
      continue;
    }
    if (c === RBRACE || c === RBRACKET) {
      const open = stack.pop();
      i++;
      if (open !== (c === RBRACE ? LBRACE : LBRACKET)) {
        return {
          end: i,
          resume: resumeAfter(text, start, i - 1),
          error: `a "${String.fromCharCode(c)}" does not match what it closes`,
        };
      }
      if (stack.length === 0) {
        return { end: i, resume: i };
      }
      last = c;
      continue;
    }
    if (!isBlank(c)) {
      last = c;
    }
    i++;
  }
  return {
    end: n,
    resume: resumeAfter(text, start, n),
    error: 'the object is not closed: the text ends inside it (truncated?)',
  };
}

/** Counts line feeds in text[from, to). */
export function countLines(text: string, from: number, to: number): number {
  let count = 0;
  let i = text.indexOf('\n', from);
  while (i >= 0 && i < to) {
    count++;
    i = text.indexOf('\n', i + 1);
  }
  return count;
}

/**
 * Line numbers and line ends for a scan that only moves forward: each line feed is looked up once, so
 * a file that is one long line costs no more than many short ones.
 */
export class Lines {
  line: number;
  private nextLf: number;

  constructor(
    private readonly text: string,
    from = 0,
    line = 1
  ) {
    this.line = line;
    this.nextLf = text.indexOf('\n', from);
  }

  /** Moves forward to `to`, counting the line feeds passed. */
  moveTo(to: number): void {
    while (this.nextLf !== -1 && this.nextLf < to) {
      this.line++;
      this.nextLf = this.text.indexOf('\n', this.nextLf + 1);
    }
  }

  /** The end of the line the scan is on: its line feed, or the end of the text. */
  eol(): number {
    return this.nextLf === -1 ? this.text.length : this.nextLf;
  }
}

function parseJson(raw: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(raw) };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/** Lines of a JSON.parse error position, for messages such as "line 3 of the record". */
function describeJsonError(raw: string, message: string): string {
  const at = /position (\d+)/.exec(message);
  if (at) {
    const lines = countLines(raw, 0, Math.min(+at[1], raw.length));
    if (lines > 0) {
      return `${message} (line ${lines + 1} of the record)`;
    }
  }
  return message;
}

/** Splits text into records and hands each to the visitor, in input order. */
/** How often (in characters) splitRecords reports its position. */
const PROGRESS_STEP = 1 << 20;

export function splitRecords(text: string, visit: RecordVisitor, onPosition?: (pos: number) => void): SplitSummary {
  const n = text.length;
  let nextReport = PROGRESS_STEP;
  const summary: SplitSummary = { multiLine: false, sharedLine: false, array: false, jsonRecords: 0, textRecords: 0 };
  const lines = new Lines(text);
  let pos = 0;
  let lastRecordLine = 0;
  // The fast path is tried once per line: a line of many objects fails it once, not once per object.
  let slowLineEnd = -1;

  while (pos < n) {
    const c = text.charCodeAt(pos);
    if (c === LF) {
      pos++;
      lines.moveTo(pos);
      if (onPosition && pos >= nextReport) {
        onPosition(pos);
        nextReport = pos + PROGRESS_STEP;
      }
      continue;
    }
    if (isBlank(c) || c === COMMA || c === RBRACKET) {
      pos++;
      continue;
    }
    if (c === LBRACKET) {
      summary.array = true;
      pos++;
      continue;
    }
    const line = lines.line;
    const eol = lines.eol();
    if (c === LBRACE) {
      summary.jsonRecords++;
      if (line === lastRecordLine) {
        summary.sharedLine = true;
      }
      lastRecordLine = line;
      // Fast path: a whole object on one line.
      if (eol !== slowLineEnd) {
        let last = eol - 1;
        while (last > pos && isBlank(text.charCodeAt(last))) {
          last--;
        }
        if (text.charCodeAt(last) === RBRACE && last + 1 - pos <= MAX_RECORD_CHARS) {
          const raw = text.slice(pos, last + 1);
          const parsed = parseJson(raw);
          if ('value' in parsed) {
            visit.json(parsed.value, raw, line, false);
            pos = last + 1;
            continue;
          }
        }
        slowLineEnd = eol;
      }
      const scan = scanObject(text, pos);
      if (scan.error === undefined && scan.end - pos > MAX_RECORD_CHARS) {
        const raw = text.slice(pos, pos + 200);
        if (visit.tooLong) {
          visit.tooLong(raw, line, tooLong(scan.end - pos));
        } else {
          visit.invalid(raw, line, tooLong(scan.end - pos));
        }
      } else if (scan.error === undefined) {
        const raw = text.slice(pos, scan.end);
        const parsed = parseJson(raw);
        if ('value' in parsed) {
          const multiLine = scan.end > eol;
          summary.multiLine ||= multiLine;
          visit.json(parsed.value, raw, line, multiLine);
        } else {
          visit.invalid(raw, line, describeJsonError(raw, parsed.error));
        }
      } else {
        visit.invalid(text.slice(pos, Math.min(scan.end, scan.resume)), line, scan.error);
      }
      pos = scan.resume;
      lines.moveTo(pos);
      continue;
    }
    // Anything else: one text record per line.
    let end = eol;
    while (end > pos && isBlank(text.charCodeAt(end - 1))) {
      end--;
    }
    summary.textRecords++;
    visit.invalid(text.slice(pos, end), line, undefined);
    pos = eol;
  }
  return summary;
}

export interface ArrayElement {
  /** The element parsed, or undefined when it is not valid JSON (then `error` says why). */
  value?: unknown;
  error?: string;
  raw: string;
  line: number;
}

/**
 * Walks the elements of the JSON array whose `[` is at `open` (objects and arrays; scalars are
 * skipped), in order, with the line each starts on (`openLine` is the line of `open`). A broken element
 * is reported and walking goes on after it, so a truncated file still yields every complete element.
 * Returns the index just after the closing `]` (text.length when the array is not closed).
 */
export function walkArray(
  text: string,
  open: number,
  openLine: number,
  visit: (element: ArrayElement) => void
): number {
  const n = text.length;
  const lines = new Lines(text, open, openLine);
  let pos = open + 1;
  while (pos < n) {
    const c = text.charCodeAt(pos);
    if (c === RBRACKET) {
      return pos + 1;
    }
    if (c === LBRACE || c === LBRACKET) {
      lines.moveTo(pos);
      const line = lines.line;
      const scan = scanObject(text, pos);
      const end = scan.error === undefined ? scan.end : Math.min(scan.end, scan.resume);
      const raw = text.slice(pos, end);
      if (scan.error === undefined) {
        const parsed = parseJson(raw);
        visit(
          'value' in parsed
            ? { value: parsed.value, raw, line }
            : { error: describeJsonError(raw, parsed.error), raw, line }
        );
      } else {
        visit({ error: scan.error, raw, line });
      }
      pos = scan.error === undefined ? scan.end : scan.resume;
      continue;
    }
    if (c === QUOTE) {
      // A scalar string element: skip it whole, so braces inside it are not read as objects.
      pos++;
      while (pos < n && text.charCodeAt(pos) !== QUOTE && text.charCodeAt(pos) !== LF) {
        pos += text.charCodeAt(pos) === BACKSLASH ? 2 : 1;
      }
    }
    pos++;
  }
  return n;
}
