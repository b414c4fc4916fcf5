/**
 * CloudWatch Logs export to S3 (CreateExportTask): one event per line as
 * `2020-09-08T04:00:24.000Z <message>`; a message with line breaks goes on over the following lines
 * without the prefix. Events are not in time order (the frames sort them).
 */
import { detectCsv } from './csv';
import { emptyOutput, type ContainerOutput } from './types';

const PREFIX = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z /;
/** The prefix as the user sees it in messages. */
const PREFIX_SHAPE = '"YYYY-MM-DDTHH:mm:ss.SSSZ "';

/** detectS3Export weighs at most this many lines that start something (see startsSomething). */
const WINDOW_LINES = 5;
/**
 * …found in at most this many characters: a few events of 256 KB, the most CloudWatch stores, so a cut
 * event at the start of the file still leaves room for the ones after it.
 */
const WINDOW_CHARS = 1024 * 1024;

/**
 * Does a line start something (an event, an entry, a line of text) rather than go on with the line
 * before it? Indented lines and closing brackets are the inner lines of a pretty-printed message (in an
 * export, lines that continue an event; in raw entries, lines of an entry that started earlier).
 */
function startsSomething(line: string): boolean {
  const c = line.charAt(0);
  return c !== '}' && c !== ']' && c.trim() !== '';
}

/**
 * Is the text an S3 export? True when its first non-blank line carries the export's ISO 8601 prefix, or
 * when most of the first few lines that start something do (so one or two lines of junk in front of the
 * events, such as a stray header or the end of an event cut off with the start of the file, still leave an
 * export). Raw entries (`{`), legacy v1 lines (`2016-07-20 00:09:31.034 TRACEID:…`) and CSV rows never
 * carry the prefix, so a stray export line among them is outvoted.
 */
export function detectS3Export(text: string): boolean {
  const window = text.length > WINDOW_CHARS ? text.slice(0, WINDOW_CHARS) : text;
  let prefixed = 0;
  let starting = 0;
  let first = true;
  let pos = 0;
  while (pos < window.length && starting < WINDOW_LINES) {
    let eol = window.indexOf('\n', pos);
    if (eol < 0) {
      eol = window.length;
    }
    const head = window.slice(pos, Math.min(eol, pos + 256));
    pos = eol + 1;
    if (head.trim() === '') {
      continue;
    }
    if (first) {
      // As before: the first non-blank line, from its first non-blank character.
      if (PREFIX.test(head.trimStart())) {
        return true;
      }
      first = false;
    }
    if (startsSomething(head)) {
      starting++;
      prefixed += PREFIX.test(head) ? 1 : 0;
    }
  }
  return prefixed * 2 > starting;
}

/** The rejection of the lines before the first event (`first`, or undefined when there is none). */
function leadingLines(from: number, to: number, first: number | undefined): { line: number; message: string } {
  const lines = to > from ? `lines ${from}–${to}` : `line ${from}`;
  const verb = to > from ? 'do' : 'does';
  if (first === undefined) {
    return {
      line: from,
      message:
        `${lines} of the text read as an S3 export ${verb} not start with its ${PREFIX_SHAPE} time: no event ` +
        'was found. Choose the format the file is in, or let it be detected.',
    };
  }
  return {
    line: from,
    message:
      `${lines}, before the first event of the S3 export (line ${first}), ${verb} not start with its ` +
      `${PREFIX_SHAPE} time and ${to > from ? 'were' : 'was'} not read: something added in front of the ` +
      'export (a header?), or the end of an event whose start was cut off.',
  };
}

/**
 * Reads an S3 export: one record per event, its message (the text after the prefix and the lines after
 * it up to the next prefixed line, joined by `\n`), at the line of its prefix. The non-blank lines before
 * the first event (continuation lines of an event whose start is not in the file, or text in front of
 * the export) are one broken record, at the first of them.
 */
export function readS3Export(text: string): ContainerOutput {
  const out = emptyOutput();
  const lines = text.split('\n');
  let current: { line: number; parts: string[] } | undefined;
  let leading: { from: number; to: number; start: number } | undefined;
  const flush = () => {
    if (current) {
      out.records.push({ line: current.line, message: current.parts.join('\n') });
    }
  };
  let offset = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i];
    const m = PREFIX.exec(line);
    if (m) {
      if (!current && leading) {
        // Lines before the first event (raw entries, another output, a header): handed back to be read
        // as what they are, so that entries there are not lost.
        out.rest = [{ start: leading.start, end: offset, line: leading.from }];
      }
      flush();
      current = { line: i + 1, parts: [line.slice(m[0].length)] };
    } else if (
      current &&
      (line.charCodeAt(0) === 0x40 /* @ */ || line.charCodeAt(0) === 0x22 /* " */ || line.startsWith('Time')) &&
      detectCsv(line)
    ) {
      // A CSV download appended after the export: the rest is handed back to be read as what it is.
      out.rest = [...(out.rest ?? []), { start: offset, end: text.length, line: i + 1 }];
      break;
    } else if (current) {
      current.parts.push(line);
    } else if (line.trim() !== '') {
      leading = { from: leading?.from ?? i + 1, to: i + 1, start: leading?.start ?? offset };
    }
    offset += lines[i].length + 1;
  }
  flush();
  if (!current && leading) {
    out.broken.push(leadingLines(leading.from, leading.to, undefined));
  }
  // The export's last line ends with a line break: drop the empty continuation it leaves.
  for (const record of out.records) {
    const message = record.message!;
    let end = message.length;
    while (end > 0 && message.charCodeAt(end - 1) === 10) {
      end--;
    }
    record.message = end === message.length ? message : message.slice(0, end);
  }
  return out;
}
