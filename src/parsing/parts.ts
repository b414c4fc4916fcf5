/**
 * The parts of an input: outputs appended to one file (NDJSON after a filter-log-events output, an S3
 * export after Logs Insights results) are read part by part, each as what it is, and reported so.
 */
import type { InputFormat, ParsePart } from './types';

/** The layouts of raw entries (everything the splitter reads without a container). */
export const RAW_FORMATS: readonly InputFormat[] = ['empty', 'ndjson', 'json-objects', 'json-array', 'text'];

/** The parts of an input in order, adjacent raw parts (and empty ones) merged. */
export function mergeParts(parts: readonly ParsePart[]): ParsePart[] {
  const out: ParsePart[] = [];
  const anyRecords = parts.some((other) => other.records > 0);
  for (const part of [...parts].sort((a, b) => a.line - b.line)) {
    if (part.records === 0 && anyRecords) {
      // A part with nothing in it (blank lines; a chosen container none of whose documents it holds).
      continue;
    }
    const last = out[out.length - 1];
    if (
      last &&
      (part.format === last.format || (RAW_FORMATS.includes(part.format) && RAW_FORMATS.includes(last.format)))
    ) {
      out[out.length - 1] = {
        format: mergedRawFormat(last.format, part.format),
        line: last.line,
        records: last.records + part.records,
        entries: last.entries + part.entries,
      };
    } else if (part.records > 0 || out.length === 0) {
      out.push({ ...part });
    }
  }
  return out;
}

/**
 * The layout of two raw parts together: an array anywhere makes the whole an array (pieces of one
 * hold elements without the `[`); parts of one entry per line and of pretty-printed entries make a mix.
 */
export function mergedRawFormat(a: InputFormat, b: InputFormat): InputFormat {
  if (a === b || b === 'empty') {
    return a;
  }
  if (a === 'empty') {
    return b;
  }
  if (a === 'json-array' || b === 'json-array') {
    return 'json-array';
  }
  return a === 'text' ? b : b === 'text' ? a : 'json-objects';
}

/** The format of the whole input: its only part's, or 'mixed'. */
export function formatOfParts(parts: readonly ParsePart[]): InputFormat {
  if (parts.length === 0) {
    return 'empty';
  }
  return parts.length === 1 ? parts[0].format : 'mixed';
}
