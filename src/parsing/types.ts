import type { DataFrame } from '@grafana/data';

import type { EventTable } from './table';

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
  | 'text'
  /** `aws logs get-query-results` (Logs Insights API): rows of {field, value}. */
  | 'insights-api'
  /** Logs Insights console "Download table (JSON)". */
  | 'insights-json'
  /** Logs Insights console "Download table (CSV)". */
  | 'insights-csv'
  /** `aws logs filter-log-events` output. */
  | 'filter-log-events'
  /** `aws logs get-log-events` output. */
  | 'get-log-events'
  /** CloudWatch Logs export to S3 (lines prefixed with an ISO 8601 time). */
  | 's3-export'
  /** Subscription filter data: Lambda event, decoded payload, or concatenated payloads (Firehose). */
  | 'subscription'
  /** Grafana's CSV download of a CloudWatch logs panel. */
  | 'grafana-csv'
  /** `aws logs tail` output (formats detailed, short, json): a time and a log stream before each message. */
  | 'logs-tail'
  /** AWS CLI `--output text` of filter-log-events, get-log-events or get-query-results (`EVENTS⇥…` rows). */
  | 'cli-text'
  /** Parts in different formats one after the other (`stats.parts` lists them). */
  | 'mixed';

/** Formats that are a container around the entries (everything but raw entries). */
export const CONTAINER_FORMATS: readonly InputFormat[] = [
  'insights-api',
  'insights-json',
  'insights-csv',
  'filter-log-events',
  'get-log-events',
  's3-export',
  'subscription',
  'grafana-csv',
  'logs-tail',
  'cli-text',
];

/** Why a record was not turned into an entry. */
export type RejectReason =
  | 'broken-json'
  /** A record of a container (CSV row, log event, payload) that could not be read at all. */
  | 'broken-record'
  | 'not-json'
  | 'binary'
  | 'legacy-v1'
  | 'mqtt-lifecycle'
  | 'not-an-object'
  | 'not-iot-entry'
  | 'bad-timestamp'
  /** A record longer than MAX_RECORD_CHARS (CloudWatch events are at most 256 KB). */
  | 'too-long';

export interface ParseIssue {
  /** 1-based line of the input where the record starts. */
  line: number;
  /** 0-based index of the record among all records of the input. */
  record: number;
  reason: RejectReason;
  /** What was found and where, in words a user can act on. */
  message: string;
}

/** A stretch of the input in one format (outputs appended to one file are read part by part). */
export interface ParsePart {
  format: InputFormat;
  /** 1-based line where the part starts. */
  line: number;
  /** Records read in this part, and how many of them were entries. */
  records: number;
  entries: number;
}

export interface ParseStats {
  /** The input's format, or 'mixed' when it holds parts in different formats. */
  format: InputFormat;
  /** The parts of the input, in order, each with its format and counts (one part for most inputs). */
  parts: ParsePart[];
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
  /** Number of tables (one per eventType). */
  eventTypes: number;
  /** The input was gzip (inflated before reading, however many layers deep) or a zip of files (unpacked). */
  compression?: 'gzip' | 'zip';
  /** Records the container marks as not being log events (control messages, duplicates), not counted in `records`. */
  skipped: number;
  /** Notes about the whole input for the user (partial results, truncated gzip, skipped records). */
  notes: string[];
  /** What the reader did that is no problem, for the user's information (the parts of a mixed input, lines of CLI output skipped). */
  info: string[];
}

export interface ParseOptions {
  /** How many issues to list at most (all are counted). Default 100. */
  maxIssues?: number;
  /** Read the input as this container instead of detecting it ('auto' or undefined: detect). */
  format?: InputFormat | 'auto';
  /** Largest size gzip input may inflate to, in bytes. Default 256 MiB. */
  maxInflatedBytes?: number;
  /** Called as reading advances (characters read of the text), at most every MiB or so. */
  onProgress?: (done: number, total: number) => void;
}

/** What the parser produces: one typed table per eventType (sorted by eventType), issues and stats. */
export interface TableResult {
  tables: EventTable[];
  issues: ParseIssue[];
  stats: ParseStats;
}

/** parseLogs' result: the tables shaped as Grafana logs frames (src/output/logs.ts), one per eventType. */
export interface ParseResult {
  frames: DataFrame[];
  issues: ParseIssue[];
  stats: ParseStats;
}
