/**
 * The `findings` output: fleet health as ranked, explained findings. Each finding has a kind, a
 * severity, a subject (device, source IP, principal, rule, job, API or the fleet), its first and last
 * time, a count, a sentence a person understands, the threshold it crossed (name, value, observed), and
 * the evidence: a filter that opens its entries in Explore, and up to MAX_TRACE_IDS traceIds.
 *
 * Detectors (kinds as src/fleet names them; thresholds in DEFAULT_THRESHOLDS, overridable per query):
 * - takeover (device): DUPLICATE_CLIENT_ID disconnects of one clientId, ≥ takeoverDisconnects within
 *   takeoverWindowMinutes; critical when the connections came from two or more source IPs in turns
 *   (each with ≥ 20 % of the burst's connects and disconnects).
 * - storm (device): successful Connects of one clientId, ≥ stormConnects within stormWindowMinutes;
 *   the sentence gives the disconnects' main reason. One finding per incident: a storm that a critical
 *   takeover (IPs in turns) covers is that takeover; a storm with a takeover from one IP (two clients
 *   running with one client ID) is the storm, its sentence naming that cause, and the takeover is dropped.
 * - wave (fleet): Disconnects of ≥ max(waveDevices, wavePercent % of the fleet) distinct devices within
 *   waveWindowSeconds. The fleet: clientIds with a successful entry.
 * - bruteForce (sourceIp): Connect failures and authentication errors from one source IP,
 *   ≥ bruteForceAttempts within bruteForceWindowMinutes trying ≥ bruteForceClientIds client IDs.
 * - authBurst (device; principal or sourceIp when several devices share them): authorization and
 *   authentication failures (Connect, Publish-In, Subscribe AUTHORIZATION_FAILURE, Connection.AuthNError),
 *   ≥ authFailures within authWindowMinutes, not counting a brute force's attempts.
 * - throttledRule (rule): RuleMessageThrottled, ≥ ruleThrottled within throttleWindowMinutes.
 * - throttling (device, or api = the eventType when no clientId): other throttled requests (publish,
 *   shadow, jobs API, THROTTLED disconnects), ≥ throttled within throttleWindowMinutes.
 * - limit (device, or api): size and count limits (payload too large, *LimitExceeded entries),
 *   ≥ limitEvents within limitWindowMinutes.
 * - failingRule (rule): rules engine failures (RuleExecution, FunctionExecution… Failure) and
 *   RuleNotFound, ≥ ruleFailures within ruleWindowMinutes.
 * - failedJob (job): executions FAILED, REJECTED or TIMED_OUT (UpdateJobExecution details, refused
 *   updates, ReportFinalJobExecutionCount), ≥ jobFailedExecutions; the devices concerned are named.
 * - silentDevice (device): a device heard (≥ 3 successful entries) whose last successful entry lies at
 *   least max(silentMinMinutes, silentPercent % of the data's span) before the data's last entry. Needs
 *   the INFO level (at ERROR, successes are not logged and no device is ever heard).
 * - outlier (device): a behaviour metric (OUTLIER_METRICS of deviceBehaviour) above outlierFactor × the
 *   fleet's outlierPercentile and ≥ outlierMinimum; devices another finding already explains are left out.
 *
 * Cost: each detector reads only the tables of its event types, one pass over their selected rows into
 * typed arrays (findingsEvents.ts), a counting sort by key and a two-pointer window; the outlier reuses
 * deviceBehaviour (one pass over every table). No object per row.
 */
import type { DataFrame, Field, FieldType } from '@grafana/data';

import type { ProblemKind, SubjectType } from '../fleet/types';
import type { FieldFilter } from '../types';
import { deviceBehaviour, quantile } from './behaviour';
import { burstsOf, columnValues, eachRow, Events, isFailure, stringAt } from './findingsEvents';
import { planBuckets } from './interval';
import type { OutputFn, OutputRange, Selection } from './types';
import { addNotice, nonEmpty, timeSpan } from './values';

export type FindingKind = ProblemKind | 'throttling';
export type FindingSeverity = 'critical' | 'warning' | 'info';
/** Subjects of src/fleet, plus a principal (certificate) and an API (an eventType). */
export type FindingSubjectType = SubjectType | 'principal' | 'api';

/** Most traceIds a finding lists. */
export const MAX_TRACE_IDS = 10;

/** The thresholds of the detectors; a query may override any of them (query field `thresholds`). */
export const DEFAULT_THRESHOLDS = {
  /** storm: ≥ 10 successful connects of one client within 10 minutes. */
  stormConnects: 10,
  stormWindowMinutes: 10,
  /** wave: ≥ 5 devices and ≥ 20 % of the fleet disconnect within 60 seconds. */
  waveDevices: 5,
  wavePercent: 20,
  waveWindowSeconds: 60,
  /** takeover: ≥ 3 DUPLICATE_CLIENT_ID disconnects of one client within 10 minutes. */
  takeoverDisconnects: 3,
  takeoverWindowMinutes: 10,
  /** bruteForce: ≥ 20 failed connects from one source IP within 10 minutes, trying ≥ 5 client IDs. */
  bruteForceAttempts: 20,
  bruteForceClientIds: 5,
  bruteForceWindowMinutes: 10,
  /** authBurst: ≥ 5 authorization/authentication failures of one device within 10 minutes. */
  authFailures: 5,
  authWindowMinutes: 10,
  /** throttledRule: ≥ 5 RuleMessageThrottled of one rule within 10 minutes; throttling: ≥ 5 other throttled requests. */
  ruleThrottled: 5,
  throttled: 5,
  throttleWindowMinutes: 10,
  /** limit: ≥ 1 limit event (payload too large, *LimitExceeded) within 60 minutes. */
  limitEvents: 1,
  limitWindowMinutes: 60,
  /** failingRule: ≥ 3 failures of one rule (or RuleNotFound) within 60 minutes. */
  ruleFailures: 3,
  ruleWindowMinutes: 60,
  /** failedJob: ≥ 1 execution FAILED, REJECTED or TIMED_OUT. */
  jobFailedExecutions: 1,
  /** silentDevice: silent for ≥ 30 minutes and ≥ 25 % of the data's span. */
  silentMinMinutes: 30,
  silentPercent: 25,
  /** outlier: a metric above 2 × the fleet's 90th percentile, and at least 20. */
  outlierPercentile: 90,
  outlierFactor: 2,
  outlierMinimum: 20,
} as const;

export type ThresholdName = keyof typeof DEFAULT_THRESHOLDS;
export type FindingThresholds = Record<ThresholdName, number>;

export const THRESHOLD_NAMES = Object.keys(DEFAULT_THRESHOLDS) as ThresholdName[];

function isThresholdName(name: string): name is ThresholdName {
  return Object.prototype.hasOwnProperty.call(DEFAULT_THRESHOLDS, name);
}

/**
 * The thresholds: the defaults with a query's overrides (unknown names, and values that are not finite
 * numbers ≥ 0, are ignored). Takes `unknown` (a saved query's field).
 */
export function thresholdsOf(overrides?: unknown): FindingThresholds {
  const t: FindingThresholds = { ...DEFAULT_THRESHOLDS };
  if (typeof overrides === 'object' && overrides !== null) {
    for (const [name, value] of Object.entries(overrides)) {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (isThresholdName(name) && typeof n === 'number' && Number.isFinite(n) && n >= 0) {
        t[name] = n;
      }
    }
  }
  return t;
}

/** What opens a finding's evidence in Explore: the query's eventTypes and field filters, and a time range. */
export interface FindingEvidence {
  eventTypes: string[];
  fieldFilters: FieldFilter[];
  from: number;
  to: number;
}

export interface Finding {
  kind: FindingKind;
  severity: FindingSeverity;
  subject: { type: FindingSubjectType; id: string };
  /** Epoch ms of the first and last entry the finding rests on. */
  first: number;
  last: number;
  /** Entries the finding counts (what its threshold counts). */
  count: number;
  sentence: string;
  /** The threshold crossed: its name in FindingThresholds, its value, and what was observed. */
  threshold: { name: ThresholdName; value: number; observed: number };
  evidence: FindingEvidence;
  traceIds: string[];
  /** Other devices involved (wave: who dropped; bruteForce: client IDs tried; failedJob: failing targets). */
  devices?: string[];
}

// ------------------------------------------------------------------------------------------------
// Reading the selections.

const MINUTE = 60_000;

class Context {
  readonly selections: readonly Selection[];
  private readonly byType = new Map<string, number[]>();
  /** Per selection: its columns read so far (no string built per row). */
  private readonly cache: Array<Map<string, readonly unknown[] | undefined>>;

  constructor(
    selections: readonly Selection[],
    readonly t: FindingThresholds
  ) {
    this.selections = nonEmpty(selections);
    this.cache = this.selections.map(() => new Map());
    this.selections.forEach((s, i) => {
      const list = this.byType.get(s.table.eventType) ?? [];
      list.push(i);
      this.byType.set(s.table.eventType, list);
    });
  }

  /** Indices of the selections of these eventTypes (all when undefined). */
  of(eventTypes?: readonly string[]): number[] {
    if (!eventTypes) {
      return this.selections.map((_, i) => i);
    }
    return eventTypes.flatMap((e) => this.byType.get(e) ?? []);
  }

  col(sel: number, name: string): readonly unknown[] | undefined {
    const columns = this.cache[sel];
    let values = columns.get(name);
    if (values === undefined && !columns.has(name)) {
      values = columnValues(this.selections[sel].table, name);
      columns.set(name, values);
    }
    return values;
  }

  str(sel: number, row: number, name: string): string | null {
    return stringAt(this.col(sel, name), row);
  }

  eventType(sel: number): string {
    return this.selections[sel].table.eventType;
  }

  /** Distinct non-empty values of a field over events, most frequent first. */
  tally(
    events: Events,
    idx: ArrayLike<number>,
    value: (sel: number, row: number) => string | null
  ): Array<[string, number]> {
    const counts = new Map<string, number>();
    for (let k = 0; k < idx.length; k++) {
      const e = idx[k];
      const v = value(events.sel[e], events.row[e]);
      if (v !== null) {
        counts.set(v, (counts.get(v) ?? 0) + 1);
      }
    }
    return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  }

  traceIds(events: Events, idx: ArrayLike<number>): string[] {
    const out = new Set<string>();
    for (let k = 0; k < idx.length && out.size < MAX_TRACE_IDS; k++) {
      const v = this.str(events.sel[idx[k]], events.row[idx[k]], 'traceId');
      if (v !== null) {
        out.add(v);
      }
    }
    return [...out];
  }
}

function span(events: Events, idx: ArrayLike<number>): { first: number; last: number } {
  let first = Infinity;
  let last = -Infinity;
  for (let k = 0; k < idx.length; k++) {
    const t = events.time[idx[k]];
    first = Math.min(first, t);
    last = Math.max(last, t);
  }
  return { first, last };
}

// ------------------------------------------------------------------------------------------------
// Words.

export function durationText(ms: number): string {
  if (ms < MINUTE) {
    return `${Math.max(1, Math.round(ms / 1000))} s`;
  }
  if (ms < 2 * 3_600_000) {
    return `${Math.round(ms / MINUTE)} min`;
  }
  const h = ms / 3_600_000;
  return `${h < 10 ? Math.round(h * 10) / 10 : Math.round(h)} h`;
}

function timeOfDay(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

function listed(items: ReadonlyArray<[string, number]>, most = 3): string {
  const shown = items.slice(0, most).map(([v, n]) => `${v} (${n})`);
  return items.length > most ? `${shown.join(', ')} and ${items.length - most} more` : shown.join(', ');
}

function times(n: number): string {
  return n === 1 ? 'once' : `${n} times`;
}

const eq = (field: string, value: string): FieldFilter => ({ field, op: '=', value });

// ------------------------------------------------------------------------------------------------
// Classifying entries.

const DUPLICATE = /^duplicate_?client_?id$/i;
const THROTTLED = /throttl/i;
const LIMIT = /exceed|too large|limit/i;
const RULE_FAILURE_TYPES = ['RuleMatch', 'FunctionExecution', 'StartingRuleExecution', 'RuleExecution'];
const JOB_TYPES = [
  'UpdateJobExecution',
  'DescribeJobExecution',
  'GetPendingJobExecution',
  'StartNextPendingJobExecution',
  'ReportFinalJobExecutionCount',
];
const AUTH_TYPES = ['Connect', 'Publish-In', 'Subscribe', 'Connection.AuthNError'];
const JOB_FAILED_STATUS = /destination status is (FAILED|REJECTED|TIMED_OUT)/;

function disconnectReason(ctx: Context, sel: number, row: number): string | null {
  const r = ctx.str(sel, row, 'disconnectReason') ?? ctx.str(sel, row, 'reason');
  return r !== null && DUPLICATE.test(r) ? 'DUPLICATE_CLIENT_ID' : r;
}

// ------------------------------------------------------------------------------------------------
// Detectors.

type Detector = (ctx: Context, out: Finding[]) => void;

/** A finding for each burst of events keyed by a subject. */
function clientEvents(
  ctx: Context,
  eventTypes: readonly string[],
  keyField: string,
  keep: (sel: number, row: number) => boolean
): Events {
  const events = new Events();
  for (const sel of ctx.of(eventTypes)) {
    const key = ctx.col(sel, keyField);
    const time = ctx.selections[sel].table.time;
    if (!key) {
      continue;
    }
    eachRow(ctx.selections[sel], (row) => {
      const k = key[row];
      if (typeof k === 'string' && k !== '' && k !== 'N/A' && keep(sel, row)) {
        events.push(k, time[row], sel, row);
      }
    });
  }
  return events;
}

/**
 * Source IPs that took part in turns: each with at least IN_TURNS_SHARE of the entries (and 2), so that
 * one session before or after the burst does not make a second IP.
 */
const IN_TURNS_SHARE = 0.2;

function inTurns(ips: ReadonlyArray<[string, number]>): string[] {
  const total = ips.reduce((sum, [, n]) => sum + n, 0);
  return ips.filter(([, n]) => n >= Math.max(2, IN_TURNS_SHARE * total)).map(([ip]) => ip);
}

const detectTakeovers: Detector = (ctx, out) => {
  const t = ctx.t;
  const events = clientEvents(ctx, ['Disconnect'], 'clientId', (sel, row) => {
    return disconnectReason(ctx, sel, row) === 'DUPLICATE_CLIENT_ID';
  });
  for (const b of burstsOf(events, t.takeoverWindowMinutes * MINUTE, t.takeoverDisconnects)) {
    const { first, last } = span(events, b.events);
    // the connections that lost the client ID (the Disconnects' IPs) and those that took it (Connects)
    const counts = new Map(ctx.tally(events, b.events, (sel, row) => ctx.str(sel, row, 'sourceIp')));
    for (const [ip, n] of connectsOf(ctx, b.key, first - MINUTE, last).ips) {
      counts.set(ip, (counts.get(ip) ?? 0) + n);
    }
    const ips = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const turns = inTurns(ips);
    const several = turns.length >= 2;
    const n = b.events.length;
    out.push({
      kind: 'takeover',
      severity: several ? 'critical' : 'warning',
      subject: { type: 'device', id: b.key },
      first,
      last,
      count: n,
      sentence:
        `${b.key}'s client ID was taken over ${times(n)} in ${durationText(last - first)} (DUPLICATE_CLIENT_ID ` +
        `disconnects)` +
        (several
          ? `, from ${turns.length} source IPs in turns: ${turns.join(', ')}`
          : ips.length > 0
            ? `, ${ips.length === 1 ? 'all' : 'mostly'} from ${ips[0][0]}: two clients run with one client ID`
            : '') +
        ` (threshold: ≥ ${t.takeoverDisconnects} in ${t.takeoverWindowMinutes} min).`,
      threshold: { name: 'takeoverDisconnects', value: t.takeoverDisconnects, observed: n },
      evidence: {
        eventTypes: ['Connect', 'Disconnect'],
        fieldFilters: [eq('clientId', b.key)],
        from: first,
        to: last,
      },
      traceIds: ctx.traceIds(events, b.events),
    });
  }
};

/** The successful Connects of a client in [from, to]: count and source IPs. */
function connectsOf(
  ctx: Context,
  clientId: string,
  from: number,
  to: number
): { n: number; ips: Array<[string, number]> } {
  const ips = new Map<string, number>();
  let n = 0;
  for (const sel of ctx.of(['Connect'])) {
    const s = ctx.selections[sel];
    const ids = ctx.col(sel, 'clientId');
    const status = ctx.col(sel, 'status');
    const time = s.table.time;
    eachRow(s, (row) => {
      const tm = time[row];
      if (tm >= from && tm <= to && ids?.[row] === clientId && !isFailure(status?.[row])) {
        n++;
        const ip = ctx.str(sel, row, 'sourceIp');
        if (ip !== null) {
          ips.set(ip, (ips.get(ip) ?? 0) + 1);
        }
      }
    });
  }
  return { n, ips: [...ips] };
}

const detectStorms: Detector = (ctx, out) => {
  const t = ctx.t;
  const window = t.stormWindowMinutes * MINUTE;
  const connects = clientEvents(ctx, ['Connect'], 'clientId', (sel, row) => !isFailure(ctx.col(sel, 'status')?.[row]));
  const bursts = burstsOf(connects, window, t.stormConnects);
  if (bursts.length === 0) {
    return;
  }
  const disconnects = clientEvents(ctx, ['Disconnect'], 'clientId', () => true);
  const byClient = groupIndex(disconnects);
  for (const b of bursts) {
    const { first, last } = span(connects, b.events);
    const ips = ctx.tally(connects, b.events, (sel, row) => ctx.str(sel, row, 'sourceIp'));
    // One finding per incident: a takeover of this client over the storm is its cause.
    const takeover = out.findIndex(
      (f) => f.kind === 'takeover' && f.subject.id === b.key && f.first <= last + window && f.last >= first - window
    );
    if (takeover >= 0 && out[takeover].severity === 'critical') {
      continue; // source IPs taking the client ID in turns: the takeover finding says it
    }
    const drops = (byClient.get(b.key) ?? []).filter((e) => {
      const tm = disconnects.time[e];
      return tm >= first - window && tm <= last + window;
    });
    const reasons = ctx.tally(disconnects, drops, (sel, row) => disconnectReason(ctx, sel, row));
    const n = b.events.length;
    let severity: FindingSeverity = n >= 3 * t.stormConnects ? 'critical' : 'warning';
    let cause = '';
    if (takeover >= 0) {
      // two clients with one client ID from one place take the connection from each other: the storm
      // says so, and the takeover finding is not reported again
      cause =
        `: two clients run with one client ID` +
        (ips.length > 0 ? `, ${ips.length === 1 ? 'all' : 'mostly'} from ${ips[0][0]}` : '');
      severity = moreSevere(severity, out[takeover].severity);
      out.splice(takeover, 1);
    }
    // the evidence spans the connects and the disconnects the sentence counts
    let from = first;
    let to = last;
    for (const e of drops) {
      from = Math.min(from, disconnects.time[e]);
      to = Math.max(to, disconnects.time[e]);
    }
    out.push({
      kind: 'storm',
      severity,
      subject: { type: 'device', id: b.key },
      first,
      last,
      count: n,
      sentence:
        `${b.key} reconnected ${times(n)} in ${durationText(last - first)}` +
        (reasons.length > 0 ? `; ${reasons[0][1]} of ${drops.length} disconnects were ${reasons[0][0]}` : '') +
        cause +
        ` (threshold: ≥ ${t.stormConnects} connects in ${t.stormWindowMinutes} min).`,
      threshold: { name: 'stormConnects', value: t.stormConnects, observed: n },
      evidence: {
        eventTypes: ['Connect', 'Disconnect'],
        fieldFilters: [eq('clientId', b.key)],
        from,
        to,
      },
      traceIds: ctx.traceIds(connects, b.events),
    });
  }
};

const SEVERITY_RANK: Record<FindingSeverity, number> = { critical: 0, warning: 1, info: 2 };

function moreSevere(a: FindingSeverity, b: FindingSeverity): FindingSeverity {
  return SEVERITY_RANK[a] <= SEVERITY_RANK[b] ? a : b;
}

/** Event indices per key, in time order. */
function groupIndex(events: Events): Map<string, number[]> {
  const { order, offsets } = events.grouped();
  const out = new Map<string, number[]>();
  events.keys.forEach((k, c) => out.set(k, Array.from(order.subarray(offsets[c], offsets[c + 1]))));
  return out;
}

/** Devices: clientIds with a successful entry, and when each was last heard. */
interface Heard {
  clientIds: string[];
  count: Int32Array;
  first: Float64Array;
  last: Float64Array;
  lastSel: Int32Array;
  lastRow: Int32Array;
}

function heardDevices(ctx: Context): Heard {
  const index = new Map<string, number>();
  const clientIds: string[] = [];
  let cap = 64;
  let count = new Int32Array(cap);
  let first = new Float64Array(cap);
  let last = new Float64Array(cap);
  let lastSel = new Int32Array(cap);
  let lastRow = new Int32Array(cap);
  ctx.selections.forEach((s, sel) => {
    const ids = ctx.col(sel, 'clientId');
    if (!ids) {
      return;
    }
    const status = ctx.col(sel, 'status');
    const time = s.table.time;
    eachRow(s, (row) => {
      const id = ids[row];
      if (typeof id !== 'string' || id === '' || id === 'N/A' || isFailure(status?.[row])) {
        return;
      }
      let d = index.get(id);
      if (d === undefined) {
        d = clientIds.length;
        index.set(id, d);
        clientIds.push(id);
        if (d === cap) {
          cap *= 2;
          const grow = <T extends Int32Array | Float64Array>(a: T, b: T): T => {
            b.set(a);
            return b;
          };
          count = grow(count, new Int32Array(cap));
          first = grow(first, new Float64Array(cap));
          last = grow(last, new Float64Array(cap));
          lastSel = grow(lastSel, new Int32Array(cap));
          lastRow = grow(lastRow, new Int32Array(cap));
        }
        first[d] = Infinity;
        last[d] = -Infinity;
      }
      const tm = time[row];
      count[d]++;
      if (tm < first[d]) {
        first[d] = tm;
      }
      if (tm >= last[d]) {
        last[d] = tm;
        lastSel[d] = sel;
        lastRow[d] = row;
      }
    });
  });
  return { clientIds, count, first, last, lastSel, lastRow };
}

/** A jobs API refusal saying the execution already reached a terminal state (it timed out). */
const TERMINAL_REFUSAL = /TERMINAL_STATE|TIMED_OUT|timed out/i;

function detectWaves(ctx: Context, out: Finding[], fleetSize: number): void {
  const t = ctx.t;
  const events = clientEvents(ctx, ['Disconnect'], 'clientId', () => true);
  const n = events.length;
  if (n === 0) {
    return;
  }
  if (fleetSize === 0) {
    // No successful entry names a device (a fleet logging at ERROR): the fleet's size is unknown, and a
    // handful of failed disconnects cannot be told from routine ones.
    return;
  }
  const need = Math.max(t.waveDevices, Math.ceil((t.wavePercent / 100) * fleetSize), 1);
  const window = t.waveWindowSeconds * 1000;
  // one Disconnect table: events in time order; else sort
  const order = Int32Array.from({ length: n }, (_, i) => i);
  if (ctx.of(['Disconnect']).length > 1) {
    order.sort((a, b) => events.time[a] - events.time[b] || a - b);
  }
  const perDevice = new Int32Array(events.keys.length);
  let distinct = 0;
  let i = 0;
  let runStart = -1;
  let runEnd = -1;
  const runs: Array<[number, number]> = [];
  for (let j = 0; j < n; j++) {
    const dj = events.key[order[j]];
    if (perDevice[dj]++ === 0) {
      distinct++;
    }
    while (events.time[order[j]] - events.time[order[i]] > window) {
      const di = events.key[order[i]];
      if (--perDevice[di] === 0) {
        distinct--;
      }
      i++;
    }
    if (distinct < need) {
      continue;
    }
    if (runStart >= 0 && i <= runEnd + 1) {
      runEnd = j;
    } else {
      if (runStart >= 0) {
        runs.push([runStart, runEnd]);
      }
      runStart = i;
      runEnd = j;
    }
  }
  if (runStart >= 0) {
    runs.push([runStart, runEnd]);
  }
  for (const [a, b] of runs) {
    const idx = order.slice(a, b + 1);
    const devices = ctx.tally(events, idx, (sel, row) => ctx.str(sel, row, 'clientId'));
    const reasons = ctx.tally(events, idx, (sel, row) => disconnectReason(ctx, sel, row));
    const { first, last } = span(events, idx);
    const k = devices.length;
    out.push({
      kind: 'wave',
      severity: k >= fleetSize / 2 ? 'critical' : 'warning',
      subject: { type: 'fleet', id: 'fleet' },
      first,
      last,
      count: idx.length,
      sentence:
        `${k} of ${fleetSize} devices disconnected within ${durationText(last - first)}` +
        (reasons.length > 0 ? ` (${listed(reasons)})` : '') +
        ` (threshold: ≥ ${need} devices, ${t.waveDevices} and ${t.wavePercent} % of the fleet, in ${t.waveWindowSeconds} s).`,
      threshold: { name: 'waveDevices', value: need, observed: k },
      evidence: { eventTypes: ['Disconnect', 'Connect'], fieldFilters: [], from: first, to: last + MINUTE },
      traceIds: ctx.traceIds(events, idx),
      devices: devices.map(([d]) => d).sort(),
    });
  }
}

/** Marks of events a brute force took, so that authBurst does not count them again: `sel:row`. */
type Taken = Set<string>;

function authFailure(ctx: Context, sel: number, row: number): boolean {
  if (ctx.eventType(sel) === 'Connection.AuthNError') {
    return true;
  }
  if (!isFailure(ctx.col(sel, 'status')?.[row])) {
    return false;
  }
  const reason = ctx.str(sel, row, 'reason');
  return reason !== null && /^AUTH(ORIZATION|ENTICATION)_FAILURE$/i.test(reason);
}

function detectBruteForce(ctx: Context, out: Finding[], taken: Taken): void {
  const t = ctx.t;
  const events = clientEvents(ctx, ['Connect', 'Connection.AuthNError'], 'sourceIp', (sel, row) =>
    ctx.eventType(sel) === 'Connect' ? isFailure(ctx.col(sel, 'status')?.[row]) : true
  );
  for (const b of burstsOf(events, t.bruteForceWindowMinutes * MINUTE, t.bruteForceAttempts)) {
    const ids = ctx.tally(events, b.events, (sel, row) => ctx.str(sel, row, 'clientId'));
    if (ids.length < t.bruteForceClientIds) {
      continue;
    }
    const { first, last } = span(events, b.events);
    const reasons = ctx.tally(events, b.events, (sel, row) => ctx.str(sel, row, 'reason') ?? ctx.eventType(sel));
    for (const e of b.events) {
      taken.add(`${events.sel[e]}:${events.row[e]}`);
    }
    const n = b.events.length;
    out.push({
      kind: 'bruteForce',
      severity: 'critical',
      subject: { type: 'sourceIp', id: b.key },
      first,
      last,
      count: n,
      sentence:
        `${b.key} failed to connect ${times(n)} in ${durationText(last - first)}, trying ${ids.length} client IDs ` +
        `(${listed(reasons, 2)}) (threshold: ≥ ${t.bruteForceAttempts} failures and ≥ ${t.bruteForceClientIds} ` +
        `client IDs in ${t.bruteForceWindowMinutes} min).`,
      threshold: { name: 'bruteForceClientIds', value: t.bruteForceClientIds, observed: ids.length },
      evidence: {
        eventTypes: ['Connect', 'Connection.AuthNError'],
        fieldFilters: [eq('sourceIp', b.key), eq('status', 'Failure')],
        from: first,
        to: last,
      },
      traceIds: ctx.traceIds(events, b.events),
      devices: ids.map(([id]) => id).sort(),
    });
  }
}

function detectAuthBursts(ctx: Context, out: Finding[], taken: Taken): void {
  const t = ctx.t;
  const window = t.authWindowMinutes * MINUTE;
  const keep = (sel: number, row: number) => authFailure(ctx, sel, row) && !taken.has(`${sel}:${row}`);
  const subjects: Array<[string, FindingSubjectType]> = [
    ['clientId', 'device'],
    ['principalId', 'principal'],
    ['sourceIp', 'sourceIp'],
  ];
  for (const [field, type] of subjects) {
    const events = clientEvents(ctx, AUTH_TYPES, field, keep);
    for (const b of burstsOf(events, window, t.authFailures)) {
      const devices = ctx.tally(events, b.events, (sel, row) => ctx.str(sel, row, 'clientId'));
      if (type !== 'device' && devices.length < 2) {
        continue; // one device's failures: its device finding says it
      }
      const { first, last } = span(events, b.events);
      const kinds = ctx.tally(events, b.events, (sel, row) => ctx.eventType(sel));
      const topics = ctx.tally(events, b.events, (sel, row) => ctx.str(sel, row, 'topicName'));
      const n = b.events.length;
      out.push({
        kind: 'authBurst',
        severity: n >= 4 * t.authFailures ? 'critical' : 'warning',
        subject: { type, id: b.key },
        first,
        last,
        count: n,
        sentence:
          `${type === 'device' ? b.key : `${type === 'principal' ? 'Principal' : 'Source IP'} ${b.key}`} was refused ` +
          `${times(n)} in ${durationText(last - first)} (${listed(kinds)})` +
          (topics.length > 0 ? ` on ${listed(topics, 2)}` : '') +
          (type !== 'device' ? ` for ${devices.length} devices` : '') +
          ` (threshold: ≥ ${t.authFailures} authorization failures in ${t.authWindowMinutes} min).`,
        threshold: { name: 'authFailures', value: t.authFailures, observed: n },
        evidence: {
          eventTypes: kinds.map(([k]) => k),
          fieldFilters: [eq(field, b.key), eq('status', 'Failure')],
          from: first,
          to: last,
        },
        traceIds: ctx.traceIds(events, b.events),
        devices: type !== 'device' ? devices.map(([d]) => d).sort() : undefined,
      });
    }
  }
}

const detectThrottledRules: Detector = (ctx, out) => {
  const t = ctx.t;
  const events = clientEvents(ctx, ['RuleMessageThrottled'], 'ruleName', () => true);
  for (const b of burstsOf(events, t.throttleWindowMinutes * MINUTE, t.ruleThrottled)) {
    const { first, last } = span(events, b.events);
    const devices = ctx.tally(events, b.events, (sel, row) => ctx.str(sel, row, 'clientId'));
    const n = b.events.length;
    out.push({
      kind: 'throttledRule',
      severity: n >= 20 * t.ruleThrottled ? 'critical' : 'warning',
      subject: { type: 'rule', id: b.key },
      first,
      last,
      count: n,
      sentence:
        `Rule ${b.key} was throttled: ${n} messages dropped (RuleMessageThrottled) in ${durationText(last - first)}` +
        (devices.length > 0 ? `, from ${devices.length} devices` : '') +
        ` (threshold: ≥ ${t.ruleThrottled} in ${t.throttleWindowMinutes} min).`,
      threshold: { name: 'ruleThrottled', value: t.ruleThrottled, observed: n },
      evidence: {
        eventTypes: ['RuleMessageThrottled'],
        fieldFilters: [eq('ruleName', b.key)],
        from: first,
        to: last,
      },
      traceIds: ctx.traceIds(events, b.events),
    });
  }
};

/** A row's text fields that may say throttled or limit. */
function problemText(ctx: Context, sel: number, row: number): string {
  return [ctx.str(sel, row, 'reason'), ctx.str(sel, row, 'details'), ctx.str(sel, row, 'disconnectReason')]
    .filter((v) => v !== null)
    .join(' ');
}

/** Events of every table but `skip`, keyed by clientId (device) or else the eventType (api). */
function requestEvents(ctx: Context, skip: ReadonlySet<string>, keep: (sel: number, row: number) => boolean): Events {
  const events = new Events();
  ctx.selections.forEach((s, sel) => {
    if (skip.has(s.table.eventType)) {
      return;
    }
    const ids = ctx.col(sel, 'clientId');
    const things = ctx.col(sel, 'thingName');
    const time = s.table.time;
    eachRow(s, (row) => {
      if (!keep(sel, row)) {
        return;
      }
      // The field the device is named by goes into the key: the evidence filters on that field.
      const client = stringAt(ids, row);
      const byClient = client !== null && client !== 'N/A';
      const id = byClient ? client : stringAt(things, row);
      events.push(
        id !== null && id !== 'N/A'
          ? `device\u0000${byClient ? 'clientId' : 'thingName'}\u0000${id}`
          : `api\u0000eventType\u0000${s.table.eventType}`,
        time[row],
        sel,
        row
      );
    });
  });
  return events;
}

/** The subject of a requestEvents key, and the field that names it in the entries. */
function subjectOfKey(key: string): { type: FindingSubjectType; id: string; field: string } {
  const [type, field, id] = key.split('\u0000');
  return { type: type === 'device' ? 'device' : 'api', id, field };
}

/** The evidence of a requestEvents burst: its eventTypes, and the device by the field that named it. */
function requestEvidence(
  kinds: ReadonlyArray<[string, number]>,
  field: string,
  subject: { type: FindingSubjectType; id: string },
  first: number,
  last: number
): FindingEvidence {
  return {
    eventTypes: kinds.map(([k]) => k),
    fieldFilters: subject.type === 'device' ? [eq(field, subject.id)] : [],
    from: first,
    to: last,
  };
}

const RULES_ENGINE_TYPES = ['RuleMatch', 'StartingRuleExecution', 'RuleExecution', 'FunctionExecution', 'RuleNotFound'];

const detectThrottling: Detector = (ctx, out) => {
  const t = ctx.t;
  // Rules engine entries (a rule action throttled downstream) are the rule's failures (failingRule), not
  // the device's throttling.
  const events = requestEvents(ctx, new Set(['RuleMessageThrottled', ...RULES_ENGINE_TYPES]), (sel, row) => {
    const status = ctx.col(sel, 'status')?.[row];
    if (!isFailure(status) && ctx.eventType(sel) !== 'Disconnect') {
      return false;
    }
    return THROTTLED.test(problemText(ctx, sel, row));
  });
  for (const b of burstsOf(events, t.throttleWindowMinutes * MINUTE, t.throttled)) {
    const { field, ...subject } = subjectOfKey(b.key);
    const { first, last } = span(events, b.events);
    const kinds = ctx.tally(events, b.events, (sel) => ctx.eventType(sel));
    const n = b.events.length;
    out.push({
      kind: 'throttling',
      severity: 'warning',
      subject,
      first,
      last,
      count: n,
      sentence:
        `${subject.type === 'device' ? subject.id : `The ${subject.id} API`} was throttled ${times(n)} in ` +
        `${durationText(last - first)} (${listed(kinds)}) (threshold: ≥ ${t.throttled} in ${t.throttleWindowMinutes} min).`,
      threshold: { name: 'throttled', value: t.throttled, observed: n },
      evidence: requestEvidence(kinds, field, subject, first, last),
      traceIds: ctx.traceIds(events, b.events),
    });
  }
};

const detectLimits: Detector = (ctx, out) => {
  const t = ctx.t;
  const events = requestEvents(ctx, new Set(['RuleMessageThrottled']), (sel, row) => {
    if (/LimitExceeded$/.test(ctx.eventType(sel))) {
      return true;
    }
    const status = ctx.col(sel, 'status')?.[row];
    if (status === 'Success' || status === null || status === undefined) {
      return false;
    }
    const text = problemText(ctx, sel, row);
    return LIMIT.test(text) && !THROTTLED.test(text);
  });
  for (const b of burstsOf(events, t.limitWindowMinutes * MINUTE, t.limitEvents)) {
    const { field, ...subject } = subjectOfKey(b.key);
    const { first, last } = span(events, b.events);
    const details = ctx.tally(events, b.events, (sel, row) => ctx.str(sel, row, 'details') ?? ctx.eventType(sel));
    const kinds = ctx.tally(events, b.events, (sel) => ctx.eventType(sel));
    const n = b.events.length;
    out.push({
      kind: 'limit',
      severity: 'warning',
      subject,
      first,
      last,
      count: n,
      sentence:
        `${subject.id} hit a limit ${times(n)}` +
        (n > 1 ? ` in ${durationText(last - first)}` : '') +
        `: ${details[0][0]} (threshold: ≥ ${t.limitEvents} in ${t.limitWindowMinutes} min).`,
      threshold: { name: 'limitEvents', value: t.limitEvents, observed: n },
      evidence: requestEvidence(kinds, field, subject, first, last),
      traceIds: ctx.traceIds(events, b.events),
    });
  }
};

const detectFailingRules: Detector = (ctx, out) => {
  const t = ctx.t;
  const events = clientEvents(ctx, [...RULE_FAILURE_TYPES, 'RuleNotFound'], 'ruleName', (sel, row) =>
    ctx.eventType(sel) === 'RuleNotFound' ? true : isFailure(ctx.col(sel, 'status')?.[row])
  );
  for (const b of burstsOf(events, t.ruleWindowMinutes * MINUTE, t.ruleFailures)) {
    const { first, last } = span(events, b.events);
    const causes = ctx.tally(events, b.events, (sel, row) => {
      if (ctx.eventType(sel) === 'RuleNotFound') {
        return 'RuleNotFound';
      }
      const code = /Error Code: ([\w.-]+)/.exec(ctx.str(sel, row, 'details') ?? '');
      const action = ctx.str(sel, row, 'ruleAction');
      return `${action ?? ctx.eventType(sel)}${code ? `: ${code[1]}` : ''}`;
    });
    const devices = ctx.tally(events, b.events, (sel, row) => ctx.str(sel, row, 'clientId'));
    const n = b.events.length;
    const notFound = causes.length === 1 && causes[0][0] === 'RuleNotFound';
    out.push({
      kind: 'failingRule',
      severity: n >= 10 * t.ruleFailures ? 'critical' : 'warning',
      subject: { type: 'rule', id: b.key },
      first,
      last,
      count: n,
      sentence:
        (notFound
          ? `Rule ${b.key} does not exist: ${n} messages to it were dropped (RuleNotFound)`
          : `Rule ${b.key} failed ${times(n)}: ${listed(causes)}`) +
        ` between ${timeOfDay(first)} and ${timeOfDay(last)} UTC` +
        (devices.length > 0 ? `, messages of ${devices.length} devices` : '') +
        ` (threshold: ≥ ${t.ruleFailures} in ${t.ruleWindowMinutes} min).`,
      threshold: { name: 'ruleFailures', value: t.ruleFailures, observed: n },
      evidence: {
        eventTypes: [...new Set(ctx.tally(events, b.events, (sel) => ctx.eventType(sel)).map(([k]) => k))],
        fieldFilters: [eq('ruleName', b.key), eq('status', 'Failure')],
        from: first,
        to: last,
      },
      traceIds: ctx.traceIds(events, b.events),
    });
  }
};

const detectFailedJobs: Detector = (ctx, out) => {
  const t = ctx.t;
  interface Job {
    first: number;
    last: number;
    entries: number;
    counted: Record<string, number>;
    devices: Map<string, string>;
  }
  const jobs = new Map<string, Job>();
  for (const sel of ctx.of(JOB_TYPES)) {
    const s = ctx.selections[sel];
    const ids = ctx.col(sel, 'jobId');
    if (!ids) {
      continue;
    }
    const final = s.table.eventType === 'ReportFinalJobExecutionCount';
    eachRow(s, (row) => {
      const jobId = stringAt(ids, row);
      if (jobId === null) {
        return;
      }
      let outcome: string | null = null;
      const counts: Record<string, number> = {};
      if (final) {
        for (const status of ['FAILED', 'REJECTED', 'TIMED_OUT']) {
          const v = ctx.col(sel, status)?.[row];
          if (typeof v === 'number' && v > 0) {
            counts[status] = v;
            outcome = status;
          }
        }
      } else if (
        isFailure(ctx.col(sel, 'status')?.[row]) &&
        TERMINAL_REFUSAL.test(`${ctx.str(sel, row, 'reason') ?? ''} ${ctx.str(sel, row, 'details') ?? ''}`)
      ) {
        // An update refused because the execution already ended (timed out); other failed jobs API
        // requests (throttled, not found) are no execution's failure.
        outcome = 'TIMED_OUT or refused';
      } else {
        outcome = JOB_FAILED_STATUS.exec(ctx.str(sel, row, 'details') ?? '')?.[1] ?? null;
      }
      if (outcome === null) {
        return;
      }
      const tm = s.table.time[row];
      const job: Job = jobs.get(jobId) ?? { first: tm, last: tm, entries: 0, counted: {}, devices: new Map() };
      jobs.set(jobId, job);
      job.first = Math.min(job.first, tm);
      job.last = Math.max(job.last, tm);
      job.entries++;
      for (const [k, v] of Object.entries(counts)) {
        job.counted[k] = Math.max(job.counted[k] ?? 0, v);
      }
      const client = ctx.str(sel, row, 'clientId');
      if (client !== null && !final) {
        const seen = job.devices.get(client);
        job.devices.set(client, seen && seen !== 'TIMED_OUT or refused' ? seen : outcome);
      }
    });
  }
  for (const [jobId, job] of jobs) {
    const fromCounts = Object.values(job.counted).reduce((a, b) => a + b, 0);
    const failed = Math.max(fromCounts, job.devices.size);
    if (failed < t.jobFailedExecutions) {
      continue;
    }
    const outcomes =
      fromCounts > 0
        ? Object.entries(job.counted).map(([k, v]) => `${v} ${k}`)
        : [...new Set(job.devices.values())].map(
            (o) => [...job.devices.values()].filter((v) => v === o).length + ` ${o}`
          );
    const devices = [...job.devices.keys()].sort();
    out.push({
      kind: 'failedJob',
      severity: failed >= 3 ? 'critical' : 'warning',
      subject: { type: 'job', id: jobId },
      first: job.first,
      last: job.last,
      count: failed,
      sentence:
        `Job ${jobId}: ${failed} execution${failed === 1 ? '' : 's'} did not succeed (${outcomes.join(', ')})` +
        (devices.length > 0 ? ` on ${devices.join(', ')}` : '') +
        ` (threshold: ≥ ${t.jobFailedExecutions}).`,
      threshold: { name: 'jobFailedExecutions', value: t.jobFailedExecutions, observed: failed },
      evidence: { eventTypes: [...JOB_TYPES], fieldFilters: [eq('jobId', jobId)], from: job.first, to: job.last },
      traceIds: [],
      devices,
    });
  }
};

/** A device is silent after this many of its usual gaps between entries (and the thresholds). */
const SILENT_GAPS = 3;

function detectSilentDevices(ctx: Context, out: Finding[], heard: Heard, dataSpan: { from: number; to: number }): void {
  const t = ctx.t;
  const need = Math.max(t.silentMinMinutes * MINUTE, (t.silentPercent / 100) * (dataSpan.to - dataSpan.from));
  heard.clientIds.forEach((id, d) => {
    const silence = dataSpan.to - heard.last[d];
    // The device's own rhythm: an hourly reporter is not silent after 40 minutes.
    const usualGap = heard.count[d] > 1 ? (heard.last[d] - heard.first[d]) / (heard.count[d] - 1) : 0;
    const needed = Math.max(need, SILENT_GAPS * usualGap);
    if (heard.count[d] < 3 || silence < needed || silence <= 0) {
      return;
    }
    const sel = heard.lastSel[d];
    const row = heard.lastRow[d];
    const lastType = ctx.eventType(sel);
    const reason = lastType === 'Disconnect' ? disconnectReason(ctx, sel, row) : null;
    if (reason === 'CLIENT_INITIATED_DISCONNECT') {
      // It said goodbye: going offline on purpose is not "stopped reporting".
      return;
    }
    const trace = ctx.str(sel, row, 'traceId');
    out.push({
      kind: 'silentDevice',
      severity: 'warning',
      subject: { type: 'device', id },
      first: heard.last[d],
      last: dataSpan.to,
      count: heard.count[d],
      sentence:
        `${id} has sent nothing for ${durationText(silence)}, since ${timeOfDay(heard.last[d])} UTC ` +
        (lastType === 'Disconnect'
          ? `when it disconnected${reason ? ` (${reason})` : ''}`
          : `(last entry ${lastType}, still connected)`) +
        `; it was heard ${times(heard.count[d])} before (threshold: silent ≥ ${durationText(needed)}: ` +
        `${t.silentMinMinutes} min, ${t.silentPercent} % of the data's span and ${SILENT_GAPS} × its usual gap).`,
      threshold: { name: 'silentMinMinutes', value: t.silentMinMinutes, observed: Math.round(silence / MINUTE) },
      evidence: { eventTypes: [], fieldFilters: [eq('clientId', id)], from: heard.first[d], to: dataSpan.to },
      traceIds: trace !== null ? [trace] : [],
    });
  });
}

/** Fewest devices with a non-zero value of a metric for the fleet's percentile to mean anything. */
const OUTLIER_MIN_DEVICES = 5;

/** The deviceBehaviour metrics the outlier finding compares (failures have their own detectors). */
export const OUTLIER_METRICS = ['messagesPublished', 'messagesDelivered', 'connects', 'disconnects'] as const;

const OUTLIER_EVENT_TYPES: Record<(typeof OUTLIER_METRICS)[number], string> = {
  messagesPublished: 'Publish-In',
  messagesDelivered: 'Publish-Out',
  connects: 'Connect',
  disconnects: 'Disconnect',
};

function detectOutliers(
  ctx: Context,
  out: Finding[],
  range: OutputRange,
  dataSpan: { from: number; to: number }
): void {
  const t = ctx.t;
  const explained = new Set(out.filter((f) => f.subject.type === 'device').map((f) => f.subject.id));
  const b = deviceBehaviour(ctx.selections, range, { metrics: [...OUTLIER_METRICS] });
  if (b.clientIds.length < 3) {
    return;
  }
  const flagged: Array<{ metric: (typeof OUTLIER_METRICS)[number]; d: number; value: number; p: number; bar: number }> =
    [];
  for (const metric of OUTLIER_METRICS) {
    const mi = b.metrics.findIndex((m) => m.name === metric);
    if (mi < 0 || !b.known[mi]) {
      continue;
    }
    const values = b.values[mi];
    // The fleet that does this at all: devices that never publish (subscribers) do not lower the bar.
    const sorted = Float64Array.from(values.filter((v) => v > 0)).sort();
    if (sorted.length < OUTLIER_MIN_DEVICES) {
      continue;
    }
    const p = quantile(sorted, t.outlierPercentile / 100) ?? 0;
    const bar = Math.max(t.outlierFactor * p, t.outlierMinimum);
    for (let d = 0; d < values.length; d++) {
      if (values[d] > bar && !explained.has(b.clientIds[d]) && !flagged.some((f) => f.d === d)) {
        flagged.push({ metric, d, value: values[d], p, bar });
      }
    }
  }
  if (flagged.length === 0) {
    return;
  }
  // when: the intervals where the device's rate is above the bar's share of the range
  const interval = 10 * MINUTE;
  const buckets = planBuckets({ from: dataSpan.from, to: dataSpan.to }, dataSpan, interval);
  const per = deviceBehaviour(ctx.selections, range, {
    metrics: flagged.map((f) => f.metric),
    buckets,
    intervalDevices: flagged.map((f) => b.clientIds[f.d]),
  });
  const spanBuckets = Math.max(1, (dataSpan.to - dataSpan.from) / interval);
  flagged.forEach((f, slot) => {
    const id = b.clientIds[f.d];
    const mi = per.metrics.findIndex((m) => m.name === f.metric);
    const values = per.intervals?.values[mi];
    const typical = f.p / spanBuckets;
    let first = dataSpan.from;
    let last = dataSpan.to;
    if (values) {
      let lo = -1;
      let hi = -1;
      for (let k = 0; k < buckets.count; k++) {
        if (values[slot * buckets.count + k] > t.outlierFactor * Math.max(typical, 1)) {
          lo = lo < 0 ? k : lo;
          hi = k;
        }
      }
      if (lo >= 0) {
        first = Math.max(dataSpan.from, buckets.start + lo * interval);
        last = Math.min(dataSpan.to, buckets.start + (hi + 1) * interval);
      }
    }
    const ratio = f.p > 0 ? `${Math.round((f.value / f.p) * 10) / 10}×` : 'far above';
    out.push({
      kind: 'outlier',
      severity: 'info',
      subject: { type: 'device', id },
      first,
      last,
      count: f.value,
      sentence:
        `${id}'s ${f.metric} is ${f.value}, ${ratio} the fleet's ${t.outlierPercentile}th percentile (${f.p}), ` +
        `mostly between ${timeOfDay(first)} and ${timeOfDay(last)} UTC (threshold: > ${t.outlierFactor} × the ` +
        `p${t.outlierPercentile} and ≥ ${t.outlierMinimum}).`,
      threshold: { name: 'outlierFactor', value: f.bar, observed: f.value },
      // the evidence: every entry the metric counts, not only the busiest stretch
      evidence: {
        eventTypes: [OUTLIER_EVENT_TYPES[f.metric]],
        fieldFilters: [eq('clientId', id)],
        from: dataSpan.from,
        to: dataSpan.to,
      },
      traceIds: [],
    });
  });
}

// ------------------------------------------------------------------------------------------------
// The whole.

/** Ranks findings: severity, then count (more first), then time. */
export function rankFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      b.count - a.count ||
      a.first - b.first ||
      (a.subject.id < b.subject.id ? -1 : a.subject.id > b.subject.id ? 1 : 0)
  );
}

/** The findings of the selected rows, ranked (see the file comment). */
export function detectFindings(
  selections: readonly Selection[],
  range: OutputRange,
  thresholds?: Partial<FindingThresholds>
): Finding[] {
  const ctx = new Context(selections, thresholdsOf(thresholds));
  const dataSpan = timeSpan(ctx.selections);
  if (!dataSpan) {
    return [];
  }
  const out: Finding[] = [];
  detectTakeovers(ctx, out);
  detectStorms(ctx, out);
  const heard = heardDevices(ctx);
  detectWaves(ctx, out, heard.clientIds.length);
  const taken: Taken = new Set();
  detectBruteForce(ctx, out, taken);
  detectAuthBursts(ctx, out, taken);
  detectThrottledRules(ctx, out);
  detectThrottling(ctx, out);
  detectLimits(ctx, out);
  detectFailingRules(ctx, out);
  detectFailedJobs(ctx, out);
  detectSilentDevices(ctx, out, heard, dataSpan);
  detectOutliers(ctx, out, range, dataSpan);
  return rankFindings(out);
}

// ------------------------------------------------------------------------------------------------
// Frames.

/** The evidence filter as text: `eventType in (Connect, Disconnect) and clientId = sensor-004`. */
export function evidenceText(e: FindingEvidence): string {
  const parts: string[] = [];
  if (e.eventTypes.length === 1) {
    parts.push(`eventType = ${e.eventTypes[0]}`);
  } else if (e.eventTypes.length > 1) {
    parts.push(`eventType in (${e.eventTypes.join(', ')})`);
  }
  for (const f of e.fieldFilters) {
    parts.push(f.value === undefined ? `${f.field} ${f.op}` : `${f.field} ${f.op} ${f.value}`);
  }
  parts.push(`time ${new Date(e.from).toISOString()} – ${new Date(e.to).toISOString()}`);
  return parts.join(' and ');
}

/**
 * The evidence as the filters of a query, JSON text (`{"eventTypes":[…],"fieldFilters":[…],"from":…,"to":…}`,
 * times in ISO 8601): the evidence link's query carries it as `linkFilters` (src/query/dataLinks.ts).
 */
export function evidenceFilterJson(e: FindingEvidence): string {
  return JSON.stringify({
    eventTypes: e.eventTypes,
    fieldFilters: e.fieldFilters,
    from: new Date(e.from).toISOString(),
    to: new Date(e.to).toISOString(),
  });
}

export function thresholdText(f: Finding): string {
  return `${f.threshold.name} ${f.threshold.value} (observed ${f.threshold.observed})`;
}

/** The hidden field holding each finding's evidence filter for its link. */
export const EVIDENCE_FILTER_FIELD = 'evidenceFilter';

const COLUMNS: ReadonlyArray<[string, FieldType, string, (f: Finding) => unknown]> = [
  ['severity', 'string' as FieldType, 'critical, warning or info.', (f) => f.severity],
  ['kind', 'string' as FieldType, 'What was found: storm, wave, takeover, bruteForce, authBurst, …', (f) => f.kind],
  [
    'subjectType',
    'string' as FieldType,
    'What the finding is about: device, sourceIp, principal, rule, job, api, fleet.',
    (f) => f.subject.type,
  ],
  [
    'subject',
    'string' as FieldType,
    'The client ID, source IP, principal, rule name, job ID or eventType.',
    (f) => f.subject.id,
  ],
  ['first', 'time' as FieldType, 'The first entry the finding rests on.', (f) => f.first],
  [
    'last',
    'time' as FieldType,
    'The last entry the finding rests on (silentDevice: the end of the data).',
    (f) => f.last,
  ],
  ['count', 'number' as FieldType, 'Entries counted (what the threshold counts).', (f) => f.count],
  ['finding', 'string' as FieldType, 'The finding in words.', (f) => f.sentence],
  [
    'threshold',
    'string' as FieldType,
    'The threshold crossed: its name (query thresholds), value and what was observed.',
    thresholdText,
  ],
  [
    'evidence',
    'string' as FieldType,
    'The filter that shows the evidence (eventTypes, field filters, time).',
    (f) => evidenceText(f.evidence),
  ],
  ['traceIds', 'string' as FieldType, `Up to ${MAX_TRACE_IDS} traceIds of the evidence.`, (f) => f.traceIds.join(', ')],
  [
    EVIDENCE_FILTER_FIELD,
    'string' as FieldType,
    'The evidence as query filters (JSON), read by the evidence link; hidden in tables.',
    (f) => evidenceFilterJson(f.evidence),
  ],
];

/** One table frame `findings`, ranked. */
export function findingsFrame(findings: readonly Finding[], refId: string): DataFrame {
  const fields: Field[] = COLUMNS.map(([name, type, description, value]) => ({
    name,
    type,
    config: name === EVIDENCE_FILTER_FIELD ? { description, custom: { hidden: true } } : { description },
    values: findings.map(value),
  }));
  return {
    name: 'findings',
    refId,
    fields,
    length: findings.length,
    meta: { preferredVisualisationType: 'table' },
  };
}

/** The output: `options.thresholds` (when the query has it) overrides DEFAULT_THRESHOLDS. */
export const findingsOutput: OutputFn = (selections, options, range) => {
  const overrides = 'thresholds' in options ? thresholdsOf(options.thresholds) : undefined;
  const findings = detectFindings(selections, range, overrides);
  const frame = findingsFrame(findings, options.refId);
  if (findings.length === 0) {
    addNotice(frame, 'No findings: no detector crossed its threshold in the selected entries.');
  }
  return [frame];
};
