/**
 * The `behaviour` output: what each device (MQTT clientId) did over the range, as numbers named after
 * what they count: connection attempts, connects, disconnects by reason, time disconnected, failures,
 * messages, throttling, source IPs, rule and shadow failures. Two views of one computation:
 * - behaviourOutput (table): frame `behaviour`, one row per device, then frame `fleet` with the median
 *   and the 90th percentile of each column over the devices (two rows, `statistic` = median / p90).
 *   A second frame renders as its own table in Grafana (the panel's frame picker), and its columns line
 *   up with the devices' so a reader compares a device with the fleet column by column.
 * - behaviourSeries (time series): one metric (options.metricField, default `disconnects`) per interval
 *   for the `limit` (default 10) devices with the largest totals, dataplane `timeseries-multi`.
 * deviceBehaviour is the computation both read (and that a findings output may reuse): the device list
 * and one Float64Array per metric, plus per-interval values of the metrics and devices asked for.
 *
 * Devices:
 * - A device is a clientId of a selected entry; `N/A` (FunctionExecution) and missing clientIds are no
 *   device. thingName is the first one seen with the clientId (jobs entries carry both), or the shadow's
 *   thing when a shadow entry is attributed to the device (below).
 * - Device Shadow entries carry no clientId: they count for the device whose clientId is the shadow's
 *   thingName (AWS's convention: the thing connects with its name as client ID), else for the device
 *   whose entries named that thing. Shadow entries of other things are left out and a notice says so.
 *
 * Log levels ("absent, not zero"): at ERROR (and WARN) AWS IoT logs failures only; successes (connects,
 * disconnects, messages) are logged at INFO. A metric that needs INFO is known when the selected rows
 * hold at least one entry of its event type at INFO or DEBUG (or, lacking logLevel, not a Failure): then
 * a device without such entries really has 0. Otherwise every device's value is null (an empty cell)
 * and a notice names the metrics. Failure counts need only ERROR: they are always known (0 when none).
 * The rule reads the selected rows, so a filter on status or log level that drops successes empties
 * these columns too; a filter that drops failures makes failure counts 0.
 *
 * Disconnects by reason: one column `disconnects_<REASON>` per disconnectReason seen (the Disconnect's
 * `reason` when it has no disconnectReason; DUPLICATE_CLIENT_ID is written DUPLICATE_CLIENTID as in
 * disconnectReason), most frequent first, at most MAX_REASON_COLUMNS; the other reasons and Disconnects
 * without one are summed in `disconnects_other` (present only when needed). Columns only for reasons the
 * data has: AWS documents 13 reasons and most fleets see three or four.
 *
 * Time disconnected: per device, the time none of its sessions (as the sessions output pairs them, so a
 * takeover leaves no gap) is open: from a session's end to the next Connect, and from the last session's
 * end to the end of what was observed (the sessions output's rule for open sessions). Time before the
 * device's first Connect or Disconnect is not counted (the log cannot say since when it was away).
 *
 * Table rows: most disconnects plus failures first (failures: connectFailures, authenticationFailures,
 * publish and subscribe authorization failures, throttledRequests, ruleFailures, shadowFailures), then
 * clientId. Every device is a row (no limit: the table panel pages and sorts them).
 *
 * Cost: one pass over the selected rows of each table to number the devices (a Map from clientId to an
 * index), one pass to count (typed arrays indexed by device), and two walks of the Connect and Disconnect
 * rows in time order for the time disconnected. No object per row.
 */
import type { DataFrame, DataFrameType, Field, FieldType } from '@grafana/data';

import { fieldValues, type EventTable } from '../parsing/table';
import { planBuckets, parseInterval, formatInterval, MAX_BUCKETS, type Buckets } from './interval';
import { mergeByTime } from './merge';
import { MAX_SERIES } from './timeseries';
import { observationEnd } from './sessions';
import { selectionLength, type OutputOptions, type OutputRange, type Selection } from './types';
import { addNotice, limitOf, nonEmpty, OutputError, plural, timeSpan } from './values';

/** The least verbose log level at which AWS IoT logs what a metric counts. */
export type BehaviourLevel = 'ERROR' | 'INFO';

export interface BehaviourMetric {
  /** The column's name (also what `metricField` names for the time series). */
  readonly name: string;
  readonly description: string;
  /** Grafana unit id; counts have none. */
  readonly unit?: string;
  /** Which entries it counts, in words (eventType, status, reason). */
  readonly counts: string;
  /** The eventTypes it counts; `any` for every eventType with a clientId. */
  readonly eventTypes: readonly string[] | 'any';
  /** ERROR: logged at every level; INFO: needs the INFO (or DEBUG) level, null otherwise. */
  readonly level: BehaviourLevel;
  /** The eventType whose INFO/DEBUG entries show the level is logged (INFO metrics). */
  readonly evidence?: string;
  /** False when per-interval values do not add up to the total (distinct counts). */
  readonly additive: boolean;
}

const CONNECT = 'Connect';
const DISCONNECT = 'Disconnect';
const PUBLISH_IN = 'Publish-In';
const PUBLISH_OUT = 'Publish-Out';
const SUBSCRIBE = 'Subscribe';
const AUTHN_ERROR = 'Connection.AuthNError';
const RULE_THROTTLED = 'RuleMessageThrottled';
const RULE_NOT_FOUND = 'RuleNotFound';
/** Rules engine eventTypes whose failures are the device's rule failures (and rules engine types to come). */
const RULE_FAILURE_TYPES = ['RuleMatch', 'FunctionExecution', 'StartingRuleExecution', 'RuleExecution', RULE_NOT_FOUND];
const SHADOW_TYPES = ['GetThingShadow', 'UpdateThingShadow', 'DeleteThingShadow'];

/** Prefix of the disconnect-by-reason columns. */
export const DISCONNECT_REASON_PREFIX = 'disconnects_';
/** The disconnect column of reasons beyond MAX_REASON_COLUMNS and of Disconnects without a reason. */
export const OTHER_REASON_METRIC = `${DISCONNECT_REASON_PREFIX}other`;
/** Most disconnect-by-reason columns (besides `disconnects_other`). */
export const MAX_REASON_COLUMNS = 16;

/** The metric the time series shows when the query names none. */
export const DEFAULT_SERIES_METRIC = 'disconnects';

/** The metrics, in column order (the disconnect-by-reason columns follow `disconnects`). */
export const BEHAVIOUR_METRICS: readonly BehaviourMetric[] = [
  {
    name: 'connectAttempts',
    description: 'Connection attempts: Connect entries, successful or not.',
    counts: 'Connect (any status)',
    eventTypes: [CONNECT],
    level: 'INFO',
    evidence: CONNECT,
    additive: true,
  },
  {
    name: 'connects',
    description: 'Successful connections: Connect entries whose status is not Failure.',
    counts: 'Connect, status Success',
    eventTypes: [CONNECT],
    level: 'INFO',
    evidence: CONNECT,
    additive: true,
  },
  {
    name: 'connectFailures',
    description: 'Failed connection attempts: Connect entries with status Failure (any reason).',
    counts: 'Connect, status Failure',
    eventTypes: [CONNECT],
    level: 'ERROR',
    additive: true,
  },
  {
    name: 'connectAuthorizationFailures',
    description: 'Connections refused by the policy: Connect failures with reason AUTHORIZATION_FAILURE.',
    counts: 'Connect, status Failure, reason AUTHORIZATION_FAILURE',
    eventTypes: [CONNECT],
    level: 'ERROR',
    additive: true,
  },
  {
    name: 'authenticationFailures',
    description:
      'Connections refused at authentication (revoked or expired credentials, SNI): Connection.AuthNError entries.',
    counts: 'Connection.AuthNError (opt-in)',
    eventTypes: [AUTHN_ERROR],
    level: 'ERROR',
    additive: true,
  },
  {
    name: 'disconnects',
    description: 'Disconnections: Disconnect entries, whatever the reason.',
    counts: 'Disconnect (any status)',
    eventTypes: [DISCONNECT],
    level: 'INFO',
    evidence: DISCONNECT,
    additive: true,
  },
  {
    name: 'timeDisconnected',
    description:
      'Time the device was disconnected: from each session’s end to its next Connect, or to the end of what was ' +
      'observed. Time before its first session is not counted.',
    unit: 'ms',
    counts: 'Connect and Disconnect, paired into sessions',
    eventTypes: [CONNECT, DISCONNECT],
    level: 'INFO',
    evidence: CONNECT,
    additive: true,
  },
  {
    name: 'messagesPublished',
    description: 'Messages the device published: Publish-In entries whose status is not Failure.',
    counts: 'Publish-In, status Success',
    eventTypes: [PUBLISH_IN],
    level: 'INFO',
    evidence: PUBLISH_IN,
    additive: true,
  },
  {
    name: 'messagesDelivered',
    description: 'Messages delivered to the device: Publish-Out entries whose status is not Failure.',
    counts: 'Publish-Out, status Success',
    eventTypes: [PUBLISH_OUT],
    level: 'INFO',
    evidence: PUBLISH_OUT,
    additive: true,
  },
  {
    name: 'publishAuthorizationFailures',
    description: 'Publishes refused by the policy: Publish-In failures with reason AUTHORIZATION_FAILURE.',
    counts: 'Publish-In, status Failure, reason AUTHORIZATION_FAILURE',
    eventTypes: [PUBLISH_IN],
    level: 'ERROR',
    additive: true,
  },
  {
    name: 'subscribeAuthorizationFailures',
    description: 'Subscriptions refused by the policy: Subscribe failures with reason AUTHORIZATION_FAILURE.',
    counts: 'Subscribe, status Failure, reason AUTHORIZATION_FAILURE',
    eventTypes: [SUBSCRIBE],
    level: 'ERROR',
    additive: true,
  },
  {
    name: 'throttledRequests',
    description:
      'Throttled requests: RuleMessageThrottled entries, Disconnects for THROTTLED, and failures whose reason ' +
      'says throttled.',
    counts: 'RuleMessageThrottled; Disconnect with reason THROTTLED; any Failure whose reason contains THROTTL',
    eventTypes: 'any',
    level: 'ERROR',
    additive: true,
  },
  {
    name: 'distinctSourceIps',
    description: 'Distinct source IP addresses in the device’s entries (at ERROR, only those of its failures).',
    counts: 'sourceIp of any entry of the device',
    eventTypes: 'any',
    level: 'ERROR',
    additive: false,
  },
  {
    name: 'ruleFailures',
    description:
      'Rules engine failures of the device’s messages: RuleNotFound and rules engine entries with status Failure.',
    counts: 'RuleNotFound; RuleExecution and other rules engine entries with status Failure (not RuleMessageThrottled)',
    eventTypes: RULE_FAILURE_TYPES,
    level: 'ERROR',
    additive: true,
  },
  {
    name: 'shadowFailures',
    description: 'Device Shadow requests on the device’s thing that failed (Get, Update, DeleteThingShadow).',
    counts: 'GetThingShadow, UpdateThingShadow, DeleteThingShadow with status Failure, by thingName',
    eventTypes: SHADOW_TYPES,
    level: 'ERROR',
    additive: true,
  },
];

/** Indices of the fixed metrics in BEHAVIOUR_METRICS. */
const M = {
  connectAttempts: 0,
  connects: 1,
  connectFailures: 2,
  connectAuthorizationFailures: 3,
  authenticationFailures: 4,
  disconnects: 5,
  timeDisconnected: 6,
  messagesPublished: 7,
  messagesDelivered: 8,
  publishAuthorizationFailures: 9,
  subscribeAuthorizationFailures: 10,
  throttledRequests: 11,
  distinctSourceIps: 12,
  ruleFailures: 13,
  shadowFailures: 14,
} as const;

/** Metrics summed into a device's failures (the table's default order). */
const FAILURE_METRICS: readonly number[] = [
  M.connectFailures,
  M.authenticationFailures,
  M.publishAuthorizationFailures,
  M.subscribeAuthorizationFailures,
  M.throttledRequests,
  M.ruleFailures,
  M.shadowFailures,
];

/** A disconnect-by-reason metric's definition. */
function reasonMetric(reason: string | null): BehaviourMetric {
  const other = reason === null;
  return {
    name: other ? OTHER_REASON_METRIC : `${DISCONNECT_REASON_PREFIX}${reason}`,
    description: other
      ? 'Disconnections for the other reasons, or with no reason logged.'
      : `Disconnections with disconnectReason ${reason}.`,
    counts: other ? 'Disconnect, other reasons or none' : `Disconnect, disconnectReason ${reason}`,
    eventTypes: [DISCONNECT],
    level: 'INFO',
    evidence: DISCONNECT,
    additive: true,
  };
}

/** What deviceBehaviour computes: which metrics, and per-interval values. */
export interface BehaviourRequest {
  /**
   * Metrics (by name) to compute; default all. Tables that feed none of them are not read, so the values
   * of the others are incomplete (their `known` still says what the level allows).
   */
  metrics?: readonly string[];
  /** The buckets of the per-interval values (planBuckets); none: totals only. */
  buckets?: Buckets;
  /** Metrics (by name) to count per interval; default `metrics`, or all. */
  intervalMetrics?: readonly string[];
  /** Devices (by clientId) to count per interval; default all. */
  intervalDevices?: readonly string[];
}

export interface BehaviourIntervals {
  readonly buckets: Buckets;
  /** The devices counted per interval (indices into `clientIds`), in the order asked. */
  readonly devices: Int32Array;
  /**
   * Per metric (same order as `metrics`): values per device slot and bucket, device slot k's bucket b
   * at k × buckets.count + b; undefined for the metrics not asked for.
   */
  readonly values: ReadonlyArray<Float64Array | undefined>;
}

export interface DeviceBehaviour {
  /** The devices, in the order first seen. */
  readonly clientIds: readonly string[];
  /** Each device's thing name, null when the data does not give it. */
  readonly thingNames: ReadonlyArray<string | null>;
  /** The metrics: BEHAVIOUR_METRICS with the disconnect-by-reason columns after `disconnects`. */
  readonly metrics: readonly BehaviourMetric[];
  /** Per metric, each device's value (0 where none). Read together with `known`. */
  readonly values: readonly Float64Array[];
  /** Per metric: false when the log level of the data cannot say (the values are then meaningless). */
  readonly known: readonly boolean[];
  readonly intervals?: BehaviourIntervals;
  /** Entries left out: without a clientId (where their table has the column), shadow entries of unknown things. */
  readonly withoutClientId: number;
  readonly shadowWithoutDevice: number;
}

// ------------------------------------------------------------------------------------------------
// Reading columns.

function column(table: EventTable, name: string): readonly unknown[] | undefined {
  const v = fieldValues(table, name);
  return v && 'values' in v ? v.values : undefined;
}

function str(values: readonly unknown[] | undefined, row: number): string | null {
  const v = values?.[row];
  return typeof v === 'string' ? v : null;
}

function isFailure(status: unknown): boolean {
  return (
    status === 'Failure' || (typeof status === 'string' && status !== 'Success' && status.toLowerCase() === 'failure')
  );
}

function isAuthorization(reason: unknown): boolean {
  return typeof reason === 'string' && reason.toUpperCase() === 'AUTHORIZATION_FAILURE';
}

function isThrottled(reason: unknown): boolean {
  return typeof reason === 'string' && /throttl/i.test(reason);
}

/** A Disconnect's reason, DUPLICATE_CLIENT_ID (the `reason` spelling) as DUPLICATE_CLIENTID. */
function disconnectReasonOf(disconnectReason: unknown, reason: unknown): string | null {
  const value = typeof disconnectReason === 'string' && disconnectReason !== '' ? disconnectReason : reason;
  if (typeof value !== 'string' || value === '') {
    return null;
  }
  if (value === 'DUPLICATE_CLIENTID' || !/^duplicate_?client_?id$/i.test(value)) {
    return value;
  }
  return 'DUPLICATE_CLIENTID';
}

/** True when an entry shows that its event type is logged at INFO or DEBUG. */
function showsInfo(level: unknown, status: unknown): boolean {
  if (typeof level === 'string') {
    const upper = level.toUpperCase();
    return upper === 'INFO' || upper === 'DEBUG';
  }
  return status !== null && status !== undefined && !isFailure(status);
}

/** Whether the selected rows of the event type hold an entry logged at INFO or DEBUG. */
function infoLogged(selections: readonly Selection[], eventType: string): boolean {
  for (const s of selections) {
    if (s.table.eventType !== eventType) {
      continue;
    }
    const level = column(s.table, 'logLevel');
    const status = column(s.table, 'status');
    for (let i = 0, n = selectionLength(s); i < n; i++) {
      const row = s.rows ? s.rows[i] : i;
      if (showsInfo(level?.[row] ?? null, status?.[row] ?? null)) {
        return true;
      }
    }
  }
  return false;
}

// ------------------------------------------------------------------------------------------------
// The computation.

/** Per-interval accumulation of the metrics and devices asked for. */
class Intervals {
  readonly nb: number;
  readonly start: number;
  readonly interval: number;
  /** Per device index: its slot, or -1. */
  readonly deviceSlot: Int32Array;
  readonly devices: Int32Array;
  readonly wanted: ReadonlySet<string> | undefined;

  constructor(
    readonly buckets: Buckets,
    deviceCount: number,
    deviceIndex: ReadonlyMap<string, number>,
    clientIds: readonly string[] | undefined,
    metrics: readonly string[] | undefined
  ) {
    this.nb = buckets.count;
    this.start = buckets.start;
    this.interval = buckets.interval;
    this.deviceSlot = new Int32Array(deviceCount).fill(-1);
    const devices: number[] = [];
    if (clientIds) {
      for (const id of clientIds) {
        const d = deviceIndex.get(id);
        if (d !== undefined && this.deviceSlot[d] < 0) {
          this.deviceSlot[d] = devices.length;
          devices.push(d);
        }
      }
    } else {
      for (let d = 0; d < deviceCount; d++) {
        this.deviceSlot[d] = d;
        devices.push(d);
      }
    }
    this.devices = Int32Array.from(devices);
    this.wanted = metrics ? new Set(metrics) : undefined;
  }

  /** A metric's per-interval array when it is asked for. */
  array(name: string): Float64Array | undefined {
    return !this.wanted || this.wanted.has(name) ? new Float64Array(this.devices.length * this.nb) : undefined;
  }

  bucket(time: number): number {
    const b = Math.floor((time - this.start) / this.interval);
    return b >= 0 && b < this.nb ? b : -1;
  }
}

/** The devices of the selected rows: pass 1 of deviceBehaviour. */
interface Devices {
  readonly kept: readonly Selection[];
  readonly deviceIndex: ReadonlyMap<string, number>;
  readonly clientIds: readonly string[];
  readonly thingNames: ReadonlyArray<string | null>;
  /** Per selection of `kept`: each selected row's device, -1 for none; undefined when its table has no device. */
  readonly codes: ReadonlyArray<Int32Array | undefined>;
  readonly withoutClientId: number;
  readonly shadowWithoutDevice: number;
}

function numberDevices(selections: readonly Selection[]): Devices {
  const kept = nonEmpty(selections);
  // Pass 1: number the devices (clientIds) and note their thing names; shadow entries come after.
  const deviceIndex = new Map<string, number>();
  const clientIds: string[] = [];
  const thingNames: Array<string | null> = [];
  const codes: Array<Int32Array | undefined> = kept.map(() => undefined);
  let withoutClientId = 0;
  const shadows: number[] = [];
  kept.forEach((s, si) => {
    if (s.table.component === 'device-shadow') {
      shadows.push(si);
      return;
    }
    const clientId = column(s.table, 'clientId');
    if (!clientId) {
      return;
    }
    const thing = column(s.table, 'thingName');
    const n = selectionLength(s);
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const row = s.rows ? s.rows[i] : i;
      const id = clientId[row];
      if (typeof id !== 'string' || id === '' || id === 'N/A') {
        out[i] = -1;
        if (id === null || id === undefined || id === '') {
          withoutClientId++;
        }
        continue;
      }
      let d = deviceIndex.get(id);
      if (d === undefined) {
        d = clientIds.length;
        deviceIndex.set(id, d);
        clientIds.push(id);
        thingNames.push(null);
      }
      out[i] = d;
      if (thing && thingNames[d] === null) {
        thingNames[d] = str(thing, row);
      }
    }
    codes[si] = out;
  });
  // Shadow entries: the device whose clientId is the thing's name, else the one whose entries named it.
  const byThing = new Map<string, number>();
  thingNames.forEach((t, d) => {
    if (t !== null && !byThing.has(t)) {
      byThing.set(t, d);
    }
  });
  let shadowWithoutDevice = 0;
  for (const si of shadows) {
    const s = kept[si];
    const thing = column(s.table, 'thingName');
    const n = selectionLength(s);
    const out = new Int32Array(n).fill(-1);
    for (let i = 0; i < n; i++) {
      const t = str(thing, s.rows ? s.rows[i] : i);
      const d = t === null ? undefined : (deviceIndex.get(t) ?? byThing.get(t));
      if (d === undefined) {
        shadowWithoutDevice++;
        continue;
      }
      out[i] = d;
      if (thingNames[d] === null) {
        thingNames[d] = t;
      }
    }
    codes[si] = out;
  }

  return { kept, deviceIndex, clientIds, thingNames, codes, withoutClientId, shadowWithoutDevice };
}

/**
 * Each device's metrics over the selected rows (see the file comment for what is counted and when a
 * metric is unknown), plus per-interval values when `request.buckets` is given.
 */
export function deviceBehaviour(
  selections: readonly Selection[],
  range: OutputRange,
  request: BehaviourRequest = {}
): DeviceBehaviour {
  return countBehaviour(numberDevices(selections), range, request);
}

/** Whether rows of a table can count for one of the metrics asked for (all when `wanted` is undefined). */
function feeds(table: EventTable, wanted: ReadonlySet<string> | undefined): boolean {
  if (!wanted) {
    return true;
  }
  for (const name of wanted) {
    if (name === 'timeDisconnected') {
      continue; // from the sessions pairing, not from pass 2
    }
    const metric = name.startsWith(DISCONNECT_REASON_PREFIX)
      ? reasonMetric(null)
      : BEHAVIOUR_METRICS.find((m) => m.name === name);
    const types = metric?.eventTypes;
    if (
      types === 'any' ||
      types?.includes(table.eventType) ||
      (name === 'ruleFailures' && table.component === 'rules-engine') ||
      (name === 'shadowFailures' && table.component === 'device-shadow')
    ) {
      return true;
    }
  }
  return false;
}

function countBehaviour(found: Devices, range: OutputRange, request: BehaviourRequest): DeviceBehaviour {
  const { kept, deviceIndex, clientIds, thingNames, codes, withoutClientId, shadowWithoutDevice } = found;
  const wanted = request.metrics ? new Set(request.metrics) : undefined;
  const devices = clientIds.length;
  const fixed = BEHAVIOUR_METRICS.map(() => new Float64Array(devices));
  const per = request.buckets
    ? new Intervals(
        request.buckets,
        devices,
        deviceIndex,
        request.intervalDevices,
        request.intervalMetrics ?? request.metrics
      )
    : undefined;
  const fixedPer = BEHAVIOUR_METRICS.map((m) => per?.array(m.name));
  /** Disconnects by reason (null: none logged): totals and per-interval values. */
  const reasons = new Map<string | null, { total: number; values: Float64Array; per?: Float64Array }>();
  // Per-interval values of every reason when any reason column is asked for (`other` sums several).
  const reasonsPerInterval =
    per !== undefined && (!per.wanted || [...per.wanted].some((w) => w.startsWith(DISCONNECT_REASON_PREFIX)));
  const reasonOf = (reason: string | null) => {
    let r = reasons.get(reason);
    if (!r) {
      r = {
        total: 0,
        values: new Float64Array(devices),
        per: reasonsPerInterval && per ? new Float64Array(per.devices.length * per.nb) : undefined,
      };
      reasons.set(reason, r);
    }
    return r;
  };

  const add = (m: number, d: number, time: number) => {
    fixed[m][d]++;
    const p = fixedPer[m];
    if (p && per) {
      const slot = per.deviceSlot[d];
      const b = slot < 0 ? -1 : per.bucket(time);
      if (b >= 0) {
        p[slot * per.nb + b]++;
      }
    }
  };

  // Distinct source IPs: each device's first IP in an array, further ones in a set of (IP, device) keys.
  const ipCodes = new Map<string, number>();
  const firstIp = new Int32Array(devices).fill(-1);
  const ipPairs = new Set<number>();
  const ipPer = fixedPer[M.distinctSourceIps];
  const ipCells = new Set<number>();
  const lastIp: unknown[] = new Array<unknown>(devices).fill(null);
  const ips = fixed[M.distinctSourceIps];
  const ipsWanted = !wanted || wanted.has('distinctSourceIps');

  // Pass 2: count.
  kept.forEach((s, si) => {
    const device = codes[si];
    if (!device || !feeds(s.table, wanted)) {
      return;
    }
    const table = s.table;
    const type = table.eventType;
    const time = table.time;
    const status = column(table, 'status');
    const reason = column(table, 'reason');
    const disconnectReason = type === DISCONNECT ? column(table, 'disconnectReason') : undefined;
    const sourceIp = ipsWanted ? column(table, 'sourceIp') : undefined;
    const rules = table.component === 'rules-engine';
    const shadow = table.component === 'device-shadow';
    const n = selectionLength(s);
    for (let i = 0; i < n; i++) {
      const d = device[i];
      if (d < 0) {
        continue;
      }
      const row = s.rows ? s.rows[i] : i;
      const t = time[row];
      const failed = isFailure(status?.[row]);
      const why = reason?.[row];
      switch (type) {
        case CONNECT:
          add(M.connectAttempts, d, t);
          if (failed) {
            add(M.connectFailures, d, t);
            if (isAuthorization(why)) {
              add(M.connectAuthorizationFailures, d, t);
            }
          } else {
            add(M.connects, d, t);
          }
          break;
        case DISCONNECT: {
          add(M.disconnects, d, t);
          const r = reasonOf(disconnectReasonOf(disconnectReason?.[row], why));
          r.total++;
          r.values[d]++;
          if (r.per && per) {
            const slot = per.deviceSlot[d];
            const b = slot < 0 ? -1 : per.bucket(t);
            if (b >= 0) {
              r.per[slot * per.nb + b]++;
            }
          }
          if (isThrottled(disconnectReason?.[row]) || isThrottled(why)) {
            add(M.throttledRequests, d, t);
          }
          break;
        }
        case PUBLISH_IN:
          if (!failed) {
            add(M.messagesPublished, d, t);
          } else if (isAuthorization(why)) {
            add(M.publishAuthorizationFailures, d, t);
          }
          break;
        case PUBLISH_OUT:
          if (!failed) {
            add(M.messagesDelivered, d, t);
          }
          break;
        case SUBSCRIBE:
          if (failed && isAuthorization(why)) {
            add(M.subscribeAuthorizationFailures, d, t);
          }
          break;
        case AUTHN_ERROR:
          add(M.authenticationFailures, d, t);
          break;
        case RULE_THROTTLED:
          add(M.throttledRequests, d, t);
          break;
        case RULE_NOT_FOUND:
          add(M.ruleFailures, d, t);
          break;
        default:
          if (failed && rules) {
            add(M.ruleFailures, d, t);
          } else if (failed && shadow) {
            add(M.shadowFailures, d, t);
          }
      }
      if (failed && type !== DISCONNECT && type !== RULE_THROTTLED && isThrottled(why)) {
        add(M.throttledRequests, d, t);
      }
      const ip = sourceIp?.[row];
      if (typeof ip !== 'string' || ip === '' || (ip === lastIp[d] && !ipPer)) {
        continue; // most entries of a device come from the IP of its previous one
      }
      lastIp[d] = ip;
      let code = ipCodes.get(ip);
      if (code === undefined) {
        code = ipCodes.size;
        ipCodes.set(ip, code);
      }
      if (firstIp[d] < 0) {
        firstIp[d] = code;
        ips[d]++;
      } else if (firstIp[d] !== code) {
        // Keys below 2^52: fewer than 2^26 IPs and devices (rows) in any parse this plugin holds.
        const key = code * 2 ** 26 + d;
        if (!ipPairs.has(key)) {
          ipPairs.add(key);
          ips[d]++;
        }
      }
      if (ipPer && per) {
        const slot = per.deviceSlot[d];
        const b = slot < 0 ? -1 : per.bucket(t);
        const key = b < 0 ? -1 : (slot * per.nb + b) * 2 ** 26 + code;
        if (key >= 0 && !ipCells.has(key)) {
          ipCells.add(key);
          ipPer[slot * per.nb + b]++;
        }
      }
    }
  });

  const known = BEHAVIOUR_METRICS.map((m) => m.level !== 'INFO' || infoLogged(kept, m.evidence ?? ''));
  if (known[M.timeDisconnected] && (!wanted || wanted.has('timeDisconnected'))) {
    timeDisconnected(found, range, fixed[M.timeDisconnected], per, fixedPer[M.timeDisconnected]);
  }

  // Disconnect reasons: the most frequent as columns, the rest and none in `other`.
  const named = [...reasons.entries()].filter(([r]) => r !== null);
  named.sort(([a, x], [b, y]) => y.total - x.total || (a! < b! ? -1 : 1));
  const shown = named.slice(0, MAX_REASON_COLUMNS);
  const rest = named.slice(MAX_REASON_COLUMNS);
  const none = reasons.get(null);
  if (none) {
    rest.push([null, none]);
  }
  const reasonMetrics = shown.map(([r]) => reasonMetric(r));
  const reasonValues = shown.map(([, v]) => v.values);
  const reasonPer = shown.map(([r, v]) =>
    per && per.wanted && !per.wanted.has(`${DISCONNECT_REASON_PREFIX}${r}`) ? undefined : v.per
  );
  if (rest.length > 0) {
    const values = new Float64Array(devices);
    const sum =
      per && (!per.wanted || per.wanted.has(OTHER_REASON_METRIC))
        ? new Float64Array(per.devices.length * per.nb)
        : undefined;
    for (const [, v] of rest) {
      for (let d = 0; d < devices; d++) {
        values[d] += v.values[d];
      }
      if (sum && v.per) {
        for (let k = 0; k < sum.length; k++) {
          sum[k] += v.per[k];
        }
      }
    }
    reasonMetrics.push(reasonMetric(null));
    reasonValues.push(values);
    reasonPer.push(sum);
  }

  const at = M.disconnects + 1;
  const metrics = [...BEHAVIOUR_METRICS.slice(0, at), ...reasonMetrics, ...BEHAVIOUR_METRICS.slice(at)];
  const values = [...fixed.slice(0, at), ...reasonValues, ...fixed.slice(at)];
  const disconnectsKnown = known[M.disconnects];
  const knownAll = [...known.slice(0, at), ...reasonMetrics.map(() => disconnectsKnown), ...known.slice(at)];
  const intervals: BehaviourIntervals | undefined = per
    ? {
        buckets: per.buckets,
        devices: per.devices,
        values: [...fixedPer.slice(0, at), ...reasonPer, ...fixedPer.slice(at)],
      }
    : undefined;
  return {
    clientIds,
    thingNames,
    metrics,
    values,
    known: knownAll,
    ...(intervals ? { intervals } : {}),
    withoutClientId,
    shadowWithoutDevice,
  };
}

/**
 * Time disconnected per device: the time no session of the device is open, as the sessions output
 * pairs them, after the device's first Connect or Disconnect, until the end of what was observed.
 *
 * The sessions' union depends only on how many of the device's sessions are open at each moment, not on
 * which one a Disconnect closes (takeovers), so it is computed from that count over the Connect and
 * Disconnect rows in the sessions output's order (mergeByTime), with its rules: a failed Connect opens
 * none; a Disconnect with none open ends a session begun before the data, so the device was connected
 * until then (nothing before the last such Disconnect counts). The test checks the result against the
 * sessions output's frame. Adds to `total` (and to `perInterval`, split at the buckets' bounds).
 */
function timeDisconnected(
  found: Devices,
  range: OutputRange,
  total: Float64Array,
  per: Intervals | undefined,
  perInterval: Float64Array | undefined
): void {
  const { kept, codes } = found;
  const observed = observationEnd(kept, range);
  const pairs: Selection[] = [];
  /** Per pair selection: the device of each table row (-1 for none), and whether it is a Connect. */
  const byRow: Int32Array[] = [];
  const connects: boolean[] = [];
  const statuses: Array<readonly unknown[] | undefined> = [];
  kept.forEach((s, si) => {
    const type = s.table.eventType;
    const device = codes[si];
    if ((type !== CONNECT && type !== DISCONNECT) || !device) {
      return;
    }
    const rows = new Int32Array(s.table.length).fill(-1);
    for (let i = 0; i < device.length; i++) {
      rows[s.rows ? s.rows[i] : i] = device[i];
    }
    pairs.push(s);
    byRow.push(rows);
    connects.push(type === CONNECT);
    statuses.push(column(s.table, 'status'));
  });
  if (pairs.length === 0 || observed === undefined) {
    return;
  }
  const merged = mergeByTime(pairs);
  const devices = total.length;
  const open = new Int32Array(devices);
  /** The last Disconnect that found no session open: the device was connected until then. */
  const connectedUntil = new Float64Array(devices).fill(-Infinity);
  const walk = (gap?: (d: number, to: number) => void) => {
    open.fill(0);
    for (let k = 0; k < merged.length; k++) {
      const p = merged.selection[k];
      const row = merged.row[k];
      const d = byRow[p][row];
      if (d < 0) {
        continue;
      }
      const time = pairs[p].table.time[row];
      if (connects[p]) {
        if (!isFailure(statuses[p]?.[row])) {
          if (open[d] === 0 && gap) {
            gap(d, time);
          }
          open[d]++;
        }
      } else if (open[d] > 0) {
        open[d]--;
        if (open[d] === 0 && gap) {
          gapFrom[d] = time;
        }
      } else if (gap) {
        gapFrom[d] = time;
      } else {
        connectedUntil[d] = time;
      }
    }
  };
  const gapFrom = new Float64Array(devices).fill(NaN);
  walk();
  const add = (d: number, to: number) => {
    const from = Math.max(gapFrom[d], connectedUntil[d]);
    gapFrom[d] = NaN;
    if (!(to > from)) {
      return; // also when no session ended before (NaN)
    }
    total[d] += to - from;
    const slot = per && perInterval ? per.deviceSlot[d] : -1;
    if (slot < 0 || !per || !perInterval) {
      return;
    }
    for (let b = Math.max(0, per.bucket(from)); b < per.nb; b++) {
      const lo = Math.max(from, per.start + b * per.interval);
      const hi = Math.min(to, per.start + (b + 1) * per.interval);
      if (lo >= to) {
        break;
      }
      if (hi > lo) {
        perInterval[slot * per.nb + b] += hi - lo;
      }
    }
  };
  walk(add);
  for (let d = 0; d < devices; d++) {
    if (open[d] === 0) {
      add(d, observed);
    }
  }
}

// ------------------------------------------------------------------------------------------------
// Frames.

/** The q-quantile (0 ≤ q ≤ 1) of sorted values, linear between ranks (numpy's default, Excel's PERCENTILE.INC). */
export function quantile(sorted: ArrayLike<number>, q: number): number | null {
  const n = sorted.length;
  if (n === 0) {
    return null;
  }
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

function metricConfig(m: BehaviourMetric, prefix = ''): Field['config'] {
  const description = `${prefix}${m.description}${m.level === 'INFO' ? ' Needs the INFO log level (empty below it).' : ''}`;
  return m.unit ? { description, unit: m.unit } : { description };
}

/** The table view: frame `behaviour` (one row per device) and frame `fleet` (median and p90 per column). */
export function behaviourOutput(
  selections: readonly Selection[],
  options: OutputOptions,
  range: OutputRange
): DataFrame[] {
  const b = deviceBehaviour(selections, range);
  const n = b.clientIds.length;

  // Default order: most disconnects plus failures first, then clientId.
  const score = new Float64Array(n);
  const disconnects = b.metrics.findIndex((m) => m.name === 'disconnects');
  for (const index of [...FAILURE_METRICS.map((m) => b.metrics.indexOf(BEHAVIOUR_METRICS[m])), disconnects]) {
    if (b.known[index]) {
      const v = b.values[index];
      for (let d = 0; d < n; d++) {
        score[d] += v[d];
      }
    }
  }
  const order = Array.from({ length: n }, (_, d) => d);
  order.sort((x, y) => score[y] - score[x] || (b.clientIds[x] < b.clientIds[y] ? -1 : 1));

  const fields: Field[] = [
    {
      name: 'clientId',
      type: 'string' as FieldType,
      config: { description: 'The device: the MQTT client ID of its entries.' },
      values: order.map((d) => b.clientIds[d]),
    },
    {
      name: 'thingName',
      type: 'string' as FieldType,
      config: { description: 'The device’s thing name, where its entries give it (jobs and Device Shadow entries).' },
      values: order.map((d) => b.thingNames[d]),
    },
  ];
  const fleetFields: Field[] = [
    {
      name: 'statistic',
      type: 'string' as FieldType,
      config: { description: 'median or p90 (90th percentile) over the devices, linear between ranks.' },
      values: ['median', 'p90'],
    },
  ];
  b.metrics.forEach((m, mi) => {
    const v = b.values[mi];
    const known = b.known[mi];
    fields.push({
      name: m.name,
      type: 'number' as FieldType,
      config: metricConfig(m),
      values: order.map((d) => (known ? v[d] : null)),
    });
    const sorted = known ? Float64Array.from(v).sort() : new Float64Array(0);
    fleetFields.push({
      name: m.name,
      type: 'number' as FieldType,
      config: metricConfig(m, 'Over the devices: '),
      values: [quantile(sorted, 0.5), quantile(sorted, 0.9)],
    });
  });

  const frame: DataFrame = {
    name: 'behaviour',
    refId: options.refId,
    fields,
    length: n,
    meta: { preferredVisualisationType: 'table' },
  };
  const fleet: DataFrame = {
    name: 'fleet',
    refId: options.refId,
    fields: fleetFields,
    length: 2,
    meta: { preferredVisualisationType: 'table' },
  };
  if (n > 0) {
    addLevelNotice(
      frame,
      b.metrics.filter((m, mi) => !b.known[mi] && !m.name.startsWith(DISCONNECT_REASON_PREFIX))
    );
  }
  addLeftOutNotices(frame, b);
  return [frame, fleet];
}

/** A notice naming the metrics the log level cannot say. */
function addLevelNotice(frame: DataFrame, unknown: readonly BehaviourMetric[]): void {
  if (unknown.length === 0) {
    return;
  }
  const types = [...new Set(unknown.map((m) => m.evidence))].join(', ');
  addNotice(
    frame,
    `${unknown.map((m) => m.name).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} empty: the selected entries hold no ` +
      `${types} entry logged at INFO or DEBUG. At ERROR and WARN, AWS IoT logs only failures, so these counts are ` +
      'unknown, not zero.'
  );
}

function addLeftOutNotices(frame: DataFrame, b: DeviceBehaviour): void {
  if (b.withoutClientId > 0) {
    addNotice(
      frame,
      `${plural(b.withoutClientId, 'entry', 'entries')} without a clientId ${b.withoutClientId === 1 ? 'is' : 'are'} no device's and left out.`
    );
  }
  if (b.shadowWithoutDevice > 0) {
    addNotice(
      frame,
      `${plural(b.shadowWithoutDevice, 'Device Shadow entry', 'Device Shadow entries')} of things that are no device's ` +
        'clientId or thing name in the data are left out.'
    );
  }
}

/** The time series view: one metric per interval for the devices with the largest totals. */
export function behaviourSeries(
  selections: readonly Selection[],
  options: OutputOptions,
  range: OutputRange
): DataFrame[] {
  const name =
    typeof options.metricField === 'string' && options.metricField.trim() !== ''
      ? options.metricField.trim()
      : DEFAULT_SERIES_METRIC;
  const fixedInterval =
    typeof options.interval === 'string' && options.interval.trim() !== ''
      ? parseInterval(options.interval)
      : undefined;
  const limit = limitOf(options.limit, MAX_SERIES);
  const kept = nonEmpty(selections);
  const buckets = planBuckets(range, timeSpan(kept), fixedInterval);

  const found = numberDevices(kept);
  const only = { metrics: [name] };
  const totals = countBehaviour(found, range, only);
  const mi = totals.metrics.findIndex((m) => m.name === name);
  const metric =
    mi >= 0
      ? totals.metrics[mi]
      : name.startsWith(DISCONNECT_REASON_PREFIX)
        ? reasonMetric(name.slice(DISCONNECT_REASON_PREFIX.length))
        : undefined;
  if (!metric) {
    throw new OutputError(
      `Unknown device behaviour metric "${name}": use one of ${BEHAVIOUR_METRICS.map((m) => m.name).join(', ')}, ` +
        `or ${DISCONNECT_REASON_PREFIX}<disconnectReason>.`
    );
  }
  // A reason no Disconnect has (or folded into `other`): no device has any.
  const known = mi >= 0 ? totals.known[mi] : infoLogged(kept, DISCONNECT);
  const values = mi >= 0 ? totals.values[mi] : new Float64Array(totals.clientIds.length);
  const ranked: number[] = [];
  for (let d = 0; d < values.length; d++) {
    if (values[d] > 0) {
      ranked.push(d);
    }
  }
  ranked.sort((x, y) => values[y] - values[x] || (totals.clientIds[x] < totals.clientIds[y] ? -1 : 1));
  const top = known ? ranked.slice(0, limit) : [];

  const time = new Array<number>(buckets.count);
  for (let k = 0; k < buckets.count; k++) {
    time[k] = buckets.start + k * buckets.interval;
  }
  const frameOf = (series: string, data: number[] | Array<number | null>, clientId?: string): DataFrame => ({
    name: series,
    refId: options.refId,
    fields: [
      { name: 'time', type: 'time' as FieldType, config: { interval: buckets.interval }, values: time },
      {
        name: metric.name,
        type: 'number' as FieldType,
        config: { ...metricConfig(metric), displayNameFromDS: series },
        ...(clientId !== undefined ? { labels: { clientId } } : {}),
        values: data,
      },
    ],
    length: buckets.count,
    meta: { type: 'timeseries-multi' as DataFrameType, typeVersion: [0, 1] },
  });

  let frames: DataFrame[];
  if (top.length === 0) {
    // No device has any: one series of zeros (or empty cells when the level cannot say).
    frames = [frameOf(metric.name, new Array<number | null>(buckets.count).fill(known ? 0 : null))];
  } else {
    const detail = countBehaviour(found, range, {
      ...only,
      buckets,
      intervalMetrics: [metric.name],
      intervalDevices: top.map((d) => totals.clientIds[d]),
    });
    const per = detail.intervals?.values[detail.metrics.findIndex((m) => m.name === metric.name)];
    const slots = detail.intervals?.devices ?? new Int32Array(0);
    frames = Array.from(slots, (d, slot) =>
      frameOf(
        detail.clientIds[d],
        per
          ? Array.from(per.subarray(slot * buckets.count, (slot + 1) * buckets.count))
          : new Array<number>(buckets.count).fill(0),
        detail.clientIds[d]
      )
    );
  }
  if (!known) {
    addLevelNotice(frames[0], [metric]);
  }
  if (buckets.raisedFrom !== undefined) {
    addNotice(
      frames[0],
      `The interval ${formatInterval(buckets.raisedFrom)} would give more than ${MAX_BUCKETS.toLocaleString('en-US')} ` +
        `points over this time span: raised to ${formatInterval(buckets.interval)}.`
    );
  }
  if (known && ranked.length > top.length) {
    const left = ranked.length - top.length;
    addNotice(
      frames[0],
      `Showing the ${plural(top.length, 'device')} with the most ${metric.name}: ${plural(left, 'other device')} left out ` +
        '(raise the limit to see more).'
    );
  }
  return frames;
}
