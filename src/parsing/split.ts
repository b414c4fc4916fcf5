/**
 * Step 2: text → records. Finds JSON objects however they are laid out (one per line, pretty-printed
 * over many lines with any indentation, concatenated with nothing between them, inside a JSON array)
 * and everything else as one text record per line.
 *
 * A broken object never swallows the entries after it: the scanner stops at the first sign that the
 * object cannot go on (a raw line break inside a string, a `{` where a key must come, a mismatched
 * bracket) and resumes where the next entry can start: a `{"` that the broken object read as the end of
 * a string (an entry cut short inside a string value, with the next one right after it), the next line
 * of the same layout, or the next line that starts a JSON value.
 *
 * Anything else at the start of a record is one token, counted on its own: a JSON string, number,
 * true/false/null, a stray `}` or `]`, a run of control characters (NUL, the record separator, bytes that
 * were not UTF-8). A line of other text is one text record, up to the next `{"` on that line.
 *
 * Time is linear in the input: line feeds are looked up through one ScanContext per pass, and going
 * back to an earlier position after a broken object is allowed only while the scanning done so far
 * stays within a budget proportional to the input (SCAN_BUDGET_FACTOR × its length).
 */

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
const MINUS = 45;
const DEL = 0x7f;

/** Characters scanned per character of input before resynchronisation stops going back. */
export const SCAN_BUDGET_FACTOR = 8;

/**
 * State shared by the scans of one pass over a text: the next line feed, remembered so that a text of
 * one long line is not searched again for each record, and the work done so far (characters looked at).
 */
export class ScanContext {
  /** Characters looked at by scans and line-feed searches. */
  work = 0;
  /** Some object was still open where the text ends (what follows the text would have closed it or not). */
  openAtEnd = false;
  readonly budget: number;
  private lfFrom = -1;
  private lfAt = -1;

  /** `length`: how much of the text the pass reads (the budget is proportional to it). */
  constructor(
    readonly text: string,
    length = text.length
  ) {
    this.budget = SCAN_BUDGET_FACTOR * length + 65536;
  }

  /** Index of the first line feed at or after `from`, or -1. */
  nextLf(from: number): number {
    if (this.lfFrom >= 0 && from >= this.lfFrom && (this.lfAt === -1 || from <= this.lfAt)) {
      return this.lfAt;
    }
    const at = this.text.indexOf('\n', from);
    this.work += (at === -1 ? this.text.length : at) - from;
    this.lfFrom = from;
    this.lfAt = at;
    return at;
  }

  private lsPos = -1;
  private lsStart = 0;
  private lsNextLf = -1;

  /** Index where the line holding `pos` starts; positions met in increasing order cost linear time in total. */
  lineStart(pos: number): number {
    if (this.lsPos >= 0 && pos >= this.lsPos && (this.lsNextLf === -1 || pos <= this.lsNextLf)) {
      return this.lsStart;
    }
    const start = this.text.lastIndexOf('\n', pos - 1) + 1;
    this.work += pos - start;
    this.lsPos = pos;
    this.lsStart = start;
    this.lsNextLf = this.nextLf(pos);
    return start;
  }

  /** Going back after a broken object is no longer allowed: the scans have used up their budget. */
  get spent(): boolean {
    return this.work > this.budget;
  }
}

/** What a token at the start of a record is (see splitRecords). */
export type TokenKind = 'string' | 'scalar' | 'stray' | 'control';

export interface RecordVisitor {
  /**
   * A record that parsed as JSON. `raw` is its source text, at `start` of the text; `multiLine` when it
   * spans lines. Returns false when the record turned out to be a document of another format (a CLI
   * output among raw entries): it then does not count towards the layout in the summary.
   */
  json(value: unknown, raw: string, line: number, multiLine: boolean, start: number): boolean | void;
  /** A record that did not: broken JSON (`error` says why) or a line of text (`error` undefined). */
  invalid(raw: string, line: number, error: string | undefined): void;
  /** A record longer than MAX_RECORD_CHARS, not parsed (`raw` is all of it). */
  tooLong?(raw: string, line: number, message: string): void;
  /** One token that is not an object where a record starts; without this method, `invalid`. */
  token?(raw: string, line: number, kind: TokenKind): void;
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
  /** Text records and tokens. */
  textRecords: number;
  /** Characters looked at while scanning (time is proportional to it); at most a small multiple of the length. */
  work: number;
  /** Where the hook stopped the splitting (another format starts there), if it did. */
  stoppedAt?: number;
  /** An object was still open where the text ends (see ScanContext.openAtEnd). */
  openAtEnd?: boolean;
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
  /** Where scanning stopped (what it looked at, for the work count). */
  scanned?: number;
}

/** Control characters that are not white space, and what undecodable bytes became. */
function isControl(c: number): boolean {
  return (
    (c < SPACE && c !== TAB && c !== LF && c !== CR && c !== 0x0b && c !== 0x0c) ||
    (c >= DEL && c <= 0x9f) ||
    c === 0xfffd ||
    c === 0xfffe ||
    c === 0xffff
  );
}

/** May a `{` stand here, given the last significant character and the innermost open container? */
function valueExpected(last: number, container: number): boolean {
  return last === COLON || last === LBRACKET || (last === COMMA && container === LBRACKET);
}

/**
 * Index of the first value on the next line (after `from`) whose first non-blank character opens a
 * JSON value and whose indentation is at most `maxIndent`, looking at lines that start before `to`; or -1.
 */
export function nextValueLine(
  text: string,
  from: number,
  maxIndent = Infinity,
  to = text.length,
  ctx = new ScanContext(text)
): number {
  const n = text.length;
  let lf = ctx.nextLf(from);
  while (lf >= 0 && lf < to) {
    let i = lf + 1;
    while (i < n && isBlank(text.charCodeAt(i)) && text.charCodeAt(i) !== LF) {
      i++;
    }
    ctx.work += i - lf;
    const c = text.charCodeAt(i);
    if ((c === LBRACE || c === LBRACKET) && i - lf - 1 <= maxIndent) {
      return i;
    }
    lf = ctx.nextLf(i);
  }
  return -1;
}

/**
 * Where to go on after the object starting at `start` broke at `breakAt`: at the first later line
 * that starts a value no deeper than the broken object itself (the next entry of the same layout),
 * so that an object cut short never swallows the entries after it, even where one of them would fit
 * into it as a value. Failing that, `fallback`, or the next line after the break that starts a value.
 */
function resumeAfter(ctx: ScanContext, start: number, breakAt: number, fallback?: number): number {
  const text = ctx.text;
  if (!ctx.spent) {
    const lineStart = ctx.lineStart(start);
    const sameLevel = nextValueLine(text, start, start - lineStart, breakAt, ctx);
    if (sameLevel >= 0 && sameLevel <= breakAt) {
      return sameLevel;
    }
  }
  if (fallback !== undefined) {
    return fallback;
  }
  const any = nextValueLine(text, breakAt, Infinity, text.length, ctx);
  return any >= 0 ? any : text.length;
}

/**
 * Where to go on after the object at `start` broke: `resume`, or earlier at `cut` (a `{"` the object
 * read as the end of a string: most likely the next entry, after one cut short inside a string value),
 * unless the scans have used up their budget.
 */
function broken(ctx: ScanContext, start: number, end: number, resume: number, cut: number, error: string): Scan {
  if (ctx.spent) {
    return { end, resume: Math.max(resume, end), error };
  }
  if (cut > start && cut < resume) {
    return { end: Math.min(end, cut), resume: cut, error };
  }
  return { end, resume, error };
}

/** Scans the object starting at `start` (a `{`) to its matching `}`. */
export function scanObject(text: string, start: number, ctx = new ScanContext(text), limit = text.length): Scan {
  const scan = scanBody(text, start, ctx, limit);
  ctx.work += Math.max(scan.scanned! - start, 1);
  return scan;
}

/** The scan, with where scanning stopped (for the work count). */
function scanned(scan: Scan, at: number): Scan {
  scan.scanned = at;
  return scan;
}

function scanBody(text: string, start: number, ctx: ScanContext, n: number): Scan {
  const stack: number[] = [];
  let last = 0;
  let i = start;
  // The first `{"` read as the last character of a string and its closing quote.
  let cut = -1;
  // An object that is a value of the top-level object: the one open now, and the last one closed.
  let valueOpen = -1;
  let lastValue = -1;
  let lastValueEnd = -1;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const open = i;
      i++;
      for (;;) {
        if (i >= n) {
          return scanned(
            broken(ctx, start, n, resumeAfter(ctx, start, n), cut, 'the text ends inside a string (truncated?)'),
            i
          );
        }
        const d = text.charCodeAt(i);
        if (d === QUOTE) {
          if (cut < 0 && i - 1 > open && text.charCodeAt(i - 1) === LBRACE) {
            cut = i - 1;
          }
          break;
        }
        if (d === LF || d === CR) {
          return scanned(
            broken(
              ctx,
              start,
              i,
              resumeAfter(ctx, start, i),
              cut,
              'a string is not closed before the end of its line (truncated?)'
            ),
            i
          );
        }
        i += d === BACKSLASH && text.charCodeAt(i + 1) !== LF ? 2 : 1;
      }
      last = QUOTE;
      i++;
      continue;
    }
    if (c === LBRACE || c === LBRACKET) {
      if (c === LBRACE && stack.length > 0 && !valueExpected(last, stack[stack.length - 1])) {
        // An entry cut right after a key's colon reads the next entry as that key's value: when such an
        // object is all that came before this `{`, it may well be an entry, so reading goes on from it.
        let k = i;
        while (k > lastValueEnd && isBlank(text.charCodeAt(k - 1))) {
          k--;
        }
        const swallowed = lastValueEnd >= 0 && k === lastValueEnd ? lastValue : -1;
        return scanned(
          broken(
            ctx,
            start,
            i,
            resumeAfter(ctx, start, i, i),
            cut >= 0 && (swallowed < 0 || cut < swallowed) ? cut : swallowed,
            'a new object starts before this one is closed (truncated?)'
          ),
          i
        );
      }
      if (c === LBRACE && stack.length === 1 && last === COLON) {
        valueOpen = i;
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
        return scanned(
          broken(
            ctx,
            start,
            i,
            resumeAfter(ctx, start, i - 1),
            cut,
            `a "${String.fromCharCode(c)}" does not match what it closes`
          ),
          i
        );
      }
      if (stack.length === 0) {
        return scanned({ end: i, resume: i }, i);
      }
      if (stack.length === 1 && valueOpen >= 0) {
        lastValue = valueOpen;
        lastValueEnd = i;
        valueOpen = -1;
      }
      last = c;
      continue;
    }
    if (!isBlank(c)) {
      last = c;
    }
    i++;
  }
  if (n === text.length) {
    ctx.openAtEnd = true;
  }
  return scanned(
    broken(
      ctx,
      start,
      n,
      resumeAfter(ctx, start, n),
      cut,
      'the object is not closed: the text ends inside it (truncated?)'
    ),
    i
  );
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
    if (raw.includes('\u00a0')) {
      // Text pasted from a web page: indented with no-break spaces, which JSON does not allow.
      try {
        return { value: JSON.parse(spacesOutsideStrings(raw)) };
      } catch {
        // Reported with the first error below.
      }
    }
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/** The text with no-break spaces outside JSON strings made plain spaces (inside strings they are data). */
export function spacesOutsideStrings(raw: string): string {
  let out = '';
  let from = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) {
        i++;
      } else if (c === QUOTE) {
        inString = false;
      }
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === NBSP) {
      out += raw.slice(from, i) + ' ';
      from = i + 1;
    }
  }
  return out + raw.slice(from);
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

/** How often (in characters) splitRecords reports its position. */
const PROGRESS_STEP = 1 << 20;

/** A character that may follow a JSON scalar (number, true, false, null) standing on its own. */
function endsScalar(c: number): boolean {
  return (
    Number.isNaN(c) ||
    isBlank(c) ||
    c === COMMA ||
    c === RBRACKET ||
    c === RBRACE ||
    c === LBRACKET ||
    c === LBRACE ||
    c === QUOTE ||
    isControl(c)
  );
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERALS = ['true', 'false', 'null'];

/**
 * The token at `pos` (not a `{`, `[` or white space), ending before `eol`: its end and kind, or
 * undefined when the text there is not a token (a line of text).
 */
function tokenAt(
  text: string,
  pos: number,
  eol: number,
  arrayDepth: number
): { end: number; kind: TokenKind } | undefined {
  const c = text.charCodeAt(pos);
  if (c === QUOTE) {
    let i = pos + 1;
    while (i < eol) {
      const d = text.charCodeAt(i);
      if (d === QUOTE) {
        return endsScalar(text.charCodeAt(i + 1)) || text.charCodeAt(i + 1) === COLON
          ? { end: i + 1, kind: 'string' }
          : undefined;
      }
      if (d === CR) {
        return undefined;
      }
      i += d === BACKSLASH ? 2 : 1;
    }
    return undefined;
  }
  if (c === RBRACE || (c === RBRACKET && arrayDepth === 0)) {
    return { end: pos + 1, kind: 'stray' };
  }
  if (isControl(c)) {
    // Control characters and the garbage glued to them (`\u0000PK\u0003`), up to white space or an object.
    let end = pos + 1;
    while (end < eol) {
      const d = text.charCodeAt(end);
      if ((isBlank(d) || d === LBRACE || d === LBRACKET) && !isControl(d)) {
        break;
      }
      end++;
    }
    return { end, kind: 'control' };
  }
  if (c === MINUS || (c >= 48 && c <= 57)) {
    NUMBER.lastIndex = pos;
    if (NUMBER.test(text) && NUMBER.lastIndex <= eol && endsScalar(text.charCodeAt(NUMBER.lastIndex))) {
      return { end: NUMBER.lastIndex, kind: 'scalar' };
    }
    return undefined;
  }
  for (const literal of LITERALS) {
    if (
      text.startsWith(literal, pos) &&
      pos + literal.length <= eol &&
      endsScalar(text.charCodeAt(pos + literal.length))
    ) {
      return { end: pos + literal.length, kind: 'scalar' };
    }
  }
  return undefined;
}

/** Where an object may start on this line after `from` (a `{` followed by a key or `}`), else `eol`. */
function nextObjectStart(text: string, from: number, eol: number): number {
  for (let i = from; i < eol; i++) {
    if (text.charCodeAt(i) === LBRACE) {
      let j = i + 1;
      while (j < eol && isBlank(text.charCodeAt(j))) {
        j++;
      }
      // A key, an empty object, or the end of the line (a pretty-printed object goes on below).
      const d = text.charCodeAt(j);
      if (d === QUOTE || d === RBRACE || j === eol) {
        return i;
      }
    }
  }
  return eol;
}

/** Hooks that let a reader treat some lines of text specially (line prefixes of CLI outputs). */
export interface TextLineHook {
  /**
   * Called for text at `pos`, the first non-blank character of a line, ending at `eol`. Returns where
   * the splitter goes on (past a prefix it consumed), or undefined to treat the text as usual. With
   * `rowSuffix`, a number ending the line where the record after the prefix ends is part of the row
   * (the timestamp column after the message of an `EVENTS⇥…` row), not a record.
   */
  (
    text: string,
    pos: number,
    eol: number,
    line: number
  ): number | { next: number; rowSuffix: true } | 'stop' | undefined;
}

/** The timestamp column of an EVENTS row: epoch milliseconds. */
const ROW_SUFFIX = /^\d{1,16}$/;

/** A line of text that must stay one record whatever it holds (legacy v1 lines quote JSON payloads). */
const LEGACY_V1_LINE = /\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)? (?:TRACEID|PRINCIPALID|EVENT):/y;

/**
 * The start of the first line after `from` and before `to` whose first non-blank character begins a
 * record by `isRecordLine`, or `to`. Each line is looked at once per broken record, and reading goes on
 * from the line found, so the lines looked at are not looked at again.
 */
function recordLineBefore(
  ctx: ScanContext,
  from: number,
  to: number,
  isRecordLine: (text: string, pos: number) => boolean
): number {
  const text = ctx.text;
  for (let lf = ctx.nextLf(from); lf >= 0 && lf + 1 < to; lf = ctx.nextLf(lf + 1)) {
    let k = lf + 1;
    while (k < to && (text.charCodeAt(k) === SPACE || text.charCodeAt(k) === TAB)) {
      k++;
    }
    ctx.work += k - lf;
    const c = text.charCodeAt(k);
    if (c !== LBRACE && c !== LBRACKET && c !== LF && k < to && isRecordLine(text, k)) {
      return k;
    }
  }
  return to;
}

/** Splits text into records and hands each to the visitor, in input order. */
export function splitRecords(
  text: string,
  visit: RecordVisitor,
  onPosition?: (pos: number) => void,
  onTextLine?: TextLineHook,
  isRecordLine?: (text: string, pos: number) => boolean
): SplitSummary {
  const n = text.length;
  const ctx = new ScanContext(text);
  let nextReport = PROGRESS_STEP;
  const summary: SplitSummary = {
    multiLine: false,
    sharedLine: false,
    array: false,
    jsonRecords: 0,
    textRecords: 0,
    work: 0,
  };
  const lines = new Lines(text);
  let pos = 0;
  let lastRecordLine = 0;
  let arrayDepth = 0;
  // The fast path is tried once per line: a line of many objects fails it once, not once per object.
  let slowLineEnd = -1;
  // The line whose start the hook has seen.
  let hookedLine = 0;
  // A hooked row (EVENTS⇥…) whose timestamp column may follow its message, and where the last record ended.
  let rowOpen = false;
  let lastRecordEndLine = 0;

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
    if (isBlank(c) || c === COMMA) {
      pos++;
      continue;
    }
    if (c === LBRACKET) {
      summary.array = true;
      arrayDepth++;
      pos++;
      continue;
    }
    if (c === RBRACKET && arrayDepth > 0) {
      arrayDepth--;
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
            if (visit.json(parsed.value, raw, line, false, pos) === false) {
              summary.jsonRecords--;
            }
            pos = last + 1;
            lastRecordEndLine = line;
            continue;
          }
        }
        slowLineEnd = eol;
      }
      const scan = scanObject(text, pos, ctx);
      if (scan.error === undefined && scan.end - pos > MAX_RECORD_CHARS) {
        const raw = text.slice(pos, scan.end);
        if (visit.tooLong) {
          visit.tooLong(raw, line, tooLong(scan.end - pos));
        } else {
          visit.invalid(raw.slice(0, 200), line, tooLong(scan.end - pos));
        }
      } else if (scan.error === undefined) {
        const raw = text.slice(pos, scan.end);
        const parsed = parseJson(raw);
        if ('value' in parsed) {
          const multiLine = scan.end > eol;
          if (visit.json(parsed.value, raw, line, multiLine, pos) === false) {
            summary.jsonRecords--;
          } else {
            summary.multiLine ||= multiLine;
          }
        } else {
          visit.invalid(raw, line, describeJsonError(raw, parsed.error));
        }
      } else {
        // A line between the break and where reading would go on that starts a record of a line-based
        // output (a tail line, an EVENTS row): reading goes on there, not after it.
        const resume = isRecordLine ? recordLineBefore(ctx, scan.end, scan.resume, isRecordLine) : scan.resume;
        visit.invalid(text.slice(pos, Math.min(scan.end, resume)), line, scan.error);
        pos = resume;
        lines.moveTo(pos);
        lastRecordEndLine = lines.line;
        continue;
      }
      pos = scan.resume;
      lines.moveTo(pos);
      lastRecordEndLine = lines.line;
      continue;
    }
    if (onTextLine && hookedLine !== line) {
      hookedLine = line;
      const lineStart = text.lastIndexOf('\n', pos - 1) + 1;
      let k = lineStart;
      while (k < pos && isBlank(text.charCodeAt(k))) {
        k++;
      }
      if (k === pos) {
        rowOpen = false;
        const hooked = onTextLine(text, pos, eol, line);
        if (hooked === 'stop') {
          // Another format starts here: the caller reads the rest.
          summary.stoppedAt = pos;
          break;
        }
        const next = typeof hooked === 'object' ? hooked.next : hooked;
        if (next !== undefined && next > pos) {
          rowOpen = typeof hooked === 'object';
          pos = next;
          lines.moveTo(pos);
          continue;
        }
      }
    }
    const token = tokenAt(text, pos, eol, arrayDepth);
    if (
      token &&
      rowOpen &&
      token.kind === 'scalar' &&
      line === lastRecordEndLine &&
      ROW_SUFFIX.test(text.slice(pos, token.end))
    ) {
      // The timestamp column after an EVENTS row's message: part of the row.
      rowOpen = false;
      pos = token.end;
      continue;
    }
    if (token) {
      summary.textRecords++;
      const raw = text.slice(pos, token.end);
      if (visit.token) {
        visit.token(raw, line, token.kind);
      } else {
        visit.invalid(raw, line, undefined);
      }
      pos = token.end;
      continue;
    }
    // Other text: one record up to the next object on its line (a legacy v1 line: all of it).
    LEGACY_V1_LINE.lastIndex = pos;
    let end = LEGACY_V1_LINE.test(text) ? eol : nextObjectStart(text, pos + 1, eol);
    const next = end;
    while (end > pos && isBlank(text.charCodeAt(end - 1))) {
      end--;
    }
    summary.textRecords++;
    visit.invalid(text.slice(pos, end), line, undefined);
    pos = next;
  }
  summary.work = ctx.work;
  if (ctx.openAtEnd) {
    summary.openAtEnd = true;
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
  visit: (element: ArrayElement) => void,
  limit = text.length
): number {
  // Reading stops at `limit` (the end of the document): the text itself is scanned, not a slice of it
  // (scanning a sliced string is markedly slower in V8).
  const n = limit;
  const lines = new Lines(text, open, openLine);
  // The budget is the array's: a document far into the text gets no more than its own length allows.
  const ctx = new ScanContext(text, n - open);
  let pos = open + 1;
  while (pos < n) {
    const c = text.charCodeAt(pos);
    if (c === RBRACKET) {
      return pos + 1;
    }
    if (c === LBRACE || c === LBRACKET) {
      lines.moveTo(pos);
      const line = lines.line;
      const scan = scanObject(text, pos, ctx, n);
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
    if (isBlank(c) || c === COMMA) {
      pos++;
      continue;
    }
    // A scalar element (a string read whole, so braces inside it are not read as objects): not an
    // object, so reported as such rather than skipped.
    const start = pos;
    if (c === QUOTE) {
      pos++;
      while (pos < n && text.charCodeAt(pos) !== QUOTE && text.charCodeAt(pos) !== LF) {
        pos += text.charCodeAt(pos) === BACKSLASH ? 2 : 1;
      }
      pos++;
    } else {
      while (pos < n && !endsScalar(text.charCodeAt(pos))) {
        pos++;
      }
      pos = Math.max(pos, start + 1);
    }
    lines.moveTo(start);
    const raw = text.slice(start, Math.min(pos, n));
    visit({
      error: `a JSON ${c === QUOTE ? 'string' : 'value'} where an object was expected: ${raw.slice(0, 40)}`,
      raw,
      line: lines.line,
    });
  }
  return n;
}
