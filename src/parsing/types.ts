import type { DataFrame } from '@grafana/data';

/** How the records were laid out in the input. Later containers extend this union. */
export type InputFormat =
  /** Nothing but white space. */
  | 'empty'
  /** Raw entries one per line (compact JSON). */
  | 'ndjson'
  /** Raw entries, at least one spread over several lines (pretty-printed) or several on one line. */
  | 'json-objects'
  /** Raw entries inside a JSON array. */
  | 'json-array'
  /** No JSON record at all (text lines, binary). */
  | 'text';

/** Why a record was not turned into an entry. */
export type RejectReason =
  | 'broken-json'
  | 'not-json'
  | 'binary'
  | 'legacy-v1'
  | 'mqtt-lifecycle'
  | 'not-an-object'
  | 'not-iot-entry'
  | 'bad-timestamp';

export interface ParseIssue {
  /** 1-based line of the input where the record starts. */
  line: number;
  /** 0-based index of the record among all records of the input. */
  record: number;
  reason: RejectReason;
  /** What was found and where, in words a user can act on. */
  message: string;
}

export interface ParseStats {
  format: InputFormat;
  /** Records seen: entries + rejected. */
  records: number;
  /** IoT entries placed in frames. */
  entries: number;
  /** Records not turned into entries (each has an issue, up to `maxIssues`). */
  rejected: number;
  /** Rejections per reason; the values add up to `rejected`. */
  rejectedByReason: Partial<Record<RejectReason, number>>;
  /** Issues beyond `maxIssues` that were counted but not listed. */
  issuesOmitted: number;
  /** Input size: bytes for binary input, characters for text. */
  inputSize: number;
  /** Number of frames (one per eventType). */
  eventTypes: number;
}

export interface ParseOptions {
  /** How many issues to list at most (all are counted). Default 100. */
  maxIssues?: number;
}

export interface ParseResult {
  frames: DataFrame[];
  issues: ParseIssue[];
  stats: ParseStats;
}
