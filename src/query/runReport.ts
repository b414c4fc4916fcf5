/**
 * What a run of a query reports to its editor: progress while it parses, then what was parsed and what
 * the query returned, or its error. The data source keeps the reports of its recent requests; the
 * editor reads the report of the request its panel data came from (`data.request.requestId`) and is
 * told when it changes. This is the one way the editor learns about runs: no frame names, no casts.
 */
import type { ParseIssue, ParseStats } from '../parsing';
import type { IotLogsQuery, OutputMode } from '../types';

export interface RunOutputSummary {
  mode: OutputMode;
  /** Frames returned, and rows in them. */
  frames: number;
  rows: number;
  /** Entries that passed the query's filters and time range (what the output was made from). */
  matched: number;
  /** Entries parsed, before filters. */
  parsed: number;
}

export interface RunReport {
  refId: string;
  /** The query as it was run (migrated, before template variables): the editor compares it with the one being edited. */
  query: IotLogsQuery;
  state: 'running' | 'done' | 'error';
  /** Share of the input read so far, while parsing (0–1). */
  progress?: number;
  /** What was parsed (absent until the parse ends, and when the source could not be read). */
  parse?: ParseStats;
  /** The first few rejected records. */
  issues?: ParseIssue[];
  /** Entries left out because they are outside the time range. */
  outsideTimeRange?: number;
  output?: RunOutputSummary;
  /** The eventTypes the parse found, sorted. */
  eventTypes?: string[];
  /** The fields of the parsed tables (columns and table fields), for field suggestions. */
  fields?: string[];
  /** Why the query failed. */
  error?: string;
  /** The CloudWatch source: the Logs Insights query that ran, and what came back. */
  insights?: InsightsRunReport;
}

/** What a query of the CloudWatch source ran in AWS. */
export interface InsightsRunReport {
  expression: string;
  /** Filters AWS applied, and those applied after the entries arrived, in words. */
  pushedDown: string[];
  afterParse: string[];
  /** Rows CloudWatch returned; capped: the 10,000-row cap was reached. */
  rows: number;
  capped: boolean;
  /** Logs Insights' status (Complete, Running…). */
  status?: string;
}

type Listener = () => void;

/** The reports of the last few requests of one data source instance. */
export class RunReports {
  private readonly byRequest = new Map<string, Map<string, RunReport>>();
  private readonly listeners = new Set<Listener>();

  constructor(private readonly capacity = 64) {}

  /**
   * The report of a query of a request. Grafana's Mixed data source runs each data source's queries as
   * `mixed-<n>-<requestId>` while the panel's data keeps `<requestId>`: those are found too.
   */
  get(requestId: string | undefined, refId: string): RunReport | undefined {
    if (requestId === undefined) {
      return undefined;
    }
    const direct = this.byRequest.get(requestId)?.get(refId);
    if (direct) {
      return direct;
    }
    let found: RunReport | undefined;
    for (const [id, reports] of this.byRequest) {
      if (id.startsWith('mixed-') && id.endsWith(`-${requestId}`) && /^mixed-\d+-/.test(id)) {
        found = reports.get(refId) ?? found;
      }
    }
    return found;
  }

  set(requestId: string, report: RunReport): void {
    let reports = this.byRequest.get(requestId);
    if (!reports) {
      reports = new Map();
      this.byRequest.set(requestId, reports);
      if (this.byRequest.size > this.capacity) {
        this.byRequest.delete(this.byRequest.keys().next().value!);
      }
    }
    reports.set(report.refId, report);
    this.listeners.forEach((listener) => listener());
  }

  /** Calls `listener` after every change; returns the unsubscribe function (useSyncExternalStore's shape). */
  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}
