/**
 * The `sessions` output: MQTT connections rebuilt from the Connect and Disconnect entries, one row per
 * session, for tables of who was connected when, for how long, and why they left.
 *
 * Pairing (per clientId, entries in time order, ties in input order):
 * - A successful Connect (status `Success`, `SucceededWithIssues` or none) opens a session; a Connect
 *   with status `Failure` opens none. Other eventTypes are ignored.
 * - A Disconnect closes the client's newest open session, except a takeover's: when a client connects
 *   while connected, AWS IoT drops the older connection with disconnectReason `DUPLICATE_CLIENTID`
 *   (`reason` spells it `DUPLICATE_CLIENT_ID`; both are recognised), logged just before or just after
 *   the new Connect. That Disconnect closes the client's OLDEST open session, marked `takenOver`. The
 *   session that began while another was open is marked `takeover`, and so is the next session of the
 *   client when it begins within TAKEOVER_WINDOW_MS after a takeover's Disconnect that found no newer
 *   session open (the Disconnect logged first).
 * - A Disconnect with no open session closes a session that began before the data: `start` empty,
 *   `startedBeforeData` true. A session still open after the last entry has `end` empty, `open` true.
 * - Limitation: when a takeover's older connection began before the data and its Disconnect is logged
 *   after the new Connect, the log cannot tell the two apart: the new session is the one closed.
 *
 * Fields: clientId, principalId, start, end, duration (ms), disconnectReason, sourceIp, protocol, open,
 * startedBeforeData, takeover, takenOver. principalId, sourceIp and protocol come from the Connect (the
 * Disconnect's when the Connect is not in the data or lacks them). `duration` is end − start; for an open
 * session it runs to the end of what was observed: the later of the range's end and the data's last
 * entry (any eventType), or the data's last entry when the data ends before the range begins (a file
 * older than the dashboard's range says nothing about the range); empty when the start is unknown.
 * Rows: by start (unknown starts first), then clientId, then end. Entries without a clientId cannot be
 * paired: they are left out and an info notice counts them. No Connect/Disconnect: no rows.
 */
import type { DataFrame, Field, FieldType } from '@grafana/data';

import { toText } from '../parsing/columns';
import { fieldValues } from '../parsing/table';
import { mergeByTime } from './merge';
import type { OutputOptions, OutputRange, Selection } from './types';
import { addNotice, nonEmpty, plural, timeSpan } from './values';

/** How long after a takeover's Disconnect the client's next Connect still counts as the takeover. */
export const TAKEOVER_WINDOW_MS = 5_000;

const CONNECT = 'Connect';
const DISCONNECT = 'Disconnect';

/** The columns the pairing reads, per selection. */
interface Columns {
  isConnect: boolean;
  time: readonly number[];
  clientId?: readonly unknown[];
  status?: readonly unknown[];
  principalId?: readonly unknown[];
  sourceIp?: readonly unknown[];
  protocol?: readonly unknown[];
  disconnectReason?: readonly unknown[];
  reason?: readonly unknown[];
}

function columnValues(s: Selection, name: string): readonly unknown[] | undefined {
  const source = fieldValues(s.table, name);
  return source && 'values' in source ? source.values : undefined;
}

function text(values: readonly unknown[] | undefined, row: number): string | null {
  const v = values?.[row];
  return typeof v === 'string' ? v : v === null || v === undefined ? null : toText(v);
}

/** DUPLICATE_CLIENTID (disconnectReason) or DUPLICATE_CLIENT_ID (reason), in any case. */
function isDuplicate(value: string | null): boolean {
  return value !== null && value.replace(/_/g, '').toUpperCase() === 'DUPLICATECLIENTID';
}

const TAKEOVER = 1;
const TAKEN_OVER = 2;

/**
 * The sessions found: a session is an index, its entries (selection and row of its Connect and of its
 * Disconnect, -1 where the data has none) and flags are in typed arrays, and its other values are read
 * from those entries when the frame is made. No object per session: a day of a large fleet has
 * hundreds of thousands. Each entry makes at most one session, so `capacity` entries suffice.
 */
class Sessions {
  length = 0;
  readonly clientId: string[] = [];
  readonly connectSelection: Int32Array;
  readonly connectRow: Int32Array;
  readonly disconnectSelection: Int32Array;
  readonly disconnectRow: Int32Array;
  readonly flags: Uint8Array;

  constructor(
    readonly columns: readonly Columns[],
    capacity: number
  ) {
    this.connectSelection = new Int32Array(capacity);
    this.connectRow = new Int32Array(capacity);
    this.disconnectSelection = new Int32Array(capacity);
    this.disconnectRow = new Int32Array(capacity);
    this.flags = new Uint8Array(capacity);
  }

  /** A new session, begun by a Connect (selection, row) or, when `row` is -1, before the data. */
  add(clientId: string, selection: number, row: number, flags: number): number {
    const i = this.length++;
    this.clientId.push(clientId);
    this.connectSelection[i] = selection;
    this.connectRow[i] = row;
    this.disconnectRow[i] = -1;
    this.flags[i] = flags;
    return i;
  }

  start(i: number): number | null {
    const row = this.connectRow[i];
    return row < 0 ? null : this.columns[this.connectSelection[i]].time[row];
  }

  end(i: number): number | null {
    const row = this.disconnectRow[i];
    return row < 0 ? null : this.columns[this.disconnectSelection[i]].time[row];
  }

  /** A value of the session's Connect, or of its Disconnect when the Connect is not there or lacks it. */
  connectValue(i: number, name: 'principalId' | 'sourceIp' | 'protocol'): string | null {
    const c = this.connectRow[i];
    const value = c < 0 ? null : text(this.columns[this.connectSelection[i]][name], c);
    const d = this.disconnectRow[i];
    return value !== null || d < 0 ? value : text(this.columns[this.disconnectSelection[i]][name], d);
  }

  disconnectValue(i: number, name: 'disconnectReason'): string | null {
    const d = this.disconnectRow[i];
    return d < 0 ? null : text(this.columns[this.disconnectSelection[i]][name], d);
  }
}

export function sessionsOutput(
  selections: readonly Selection[],
  options: OutputOptions,
  range: OutputRange
): DataFrame[] {
  const kept = nonEmpty(selections);
  const pairs = kept.filter((s) => s.table.eventType === CONNECT || s.table.eventType === DISCONNECT);
  const columns: Columns[] = pairs.map((s) => ({
    isConnect: s.table.eventType === CONNECT,
    time: s.table.time,
    clientId: columnValues(s, 'clientId'),
    status: columnValues(s, 'status'),
    principalId: columnValues(s, 'principalId'),
    sourceIp: columnValues(s, 'sourceIp'),
    protocol: columnValues(s, 'protocol'),
    disconnectReason: columnValues(s, 'disconnectReason'),
    reason: columnValues(s, 'reason'),
  }));

  const merged = mergeByTime(pairs);
  const sessions = new Sessions(columns, merged.length);
  /** Each client's open sessions, oldest first. */
  const open = new Map<string, number[]>();
  /** Clients whose takeover Disconnect found no newer session open: the time of that Disconnect. */
  const takenAt = new Map<string, number>();
  let withoutClient = 0;
  for (let i = 0; i < merged.length; i++) {
    const selection = merged.selection[i];
    const c = columns[selection];
    const row = merged.row[i];
    const time = c.time[row];
    const clientId = text(c.clientId, row);
    if (clientId === null) {
      withoutClient++;
      continue;
    }
    let stack = open.get(clientId);
    if (c.isConnect) {
      if (text(c.status, row)?.toLowerCase() === 'failure') {
        continue;
      }
      let takeover = stack !== undefined && stack.length > 0;
      if (takenAt.size > 0) {
        const taken = takenAt.get(clientId);
        if (taken !== undefined) {
          takenAt.delete(clientId);
          takeover ||= time - taken <= TAKEOVER_WINDOW_MS;
        }
      }
      const session = sessions.add(clientId, selection, row, takeover ? TAKEOVER : 0);
      if (stack) {
        stack.push(session);
      } else {
        open.set(clientId, [session]);
      }
      continue;
    }
    const duplicate = isDuplicate(text(c.disconnectReason, row)) || isDuplicate(text(c.reason, row));
    let session: number;
    if (stack && stack.length > 0) {
      session = duplicate ? stack.shift()! : stack.pop()!;
      if (stack.length === 0) {
        open.delete(clientId);
        stack = undefined;
      }
    } else {
      session = sessions.add(clientId, -1, -1, 0);
    }
    sessions.disconnectSelection[session] = selection;
    sessions.disconnectRow[session] = row;
    if (duplicate) {
      sessions.flags[session] |= TAKEN_OVER;
      if (stack === undefined) {
        takenAt.set(clientId, time);
      }
    }
  }

  const frame = sessionsFrame(sessions, observationEnd(kept, range), options.refId);
  if (withoutClient > 0) {
    addNotice(
      frame,
      `${plural(withoutClient, 'Connect or Disconnect entry', 'Connect or Disconnect entries')} without a clientId ` +
        `could not be paired into sessions and ${withoutClient === 1 ? 'is' : 'are'} left out.`
    );
  }
  if (kept.length > 0 && pairs.length === 0) {
    addNotice(frame, 'Sessions are built from Connect and Disconnect entries: none of the selected entries is one.');
  }
  return [frame];
}

/**
 * Session indices by start (unknown first), clientId, end (unknown last), then order found. Sessions
 * with a Connect were found in the order of their starts, so only runs of equal starts are sorted, and
 * the sessions begun before the data.
 */
function sortedSessions(sessions: Sessions): number[] {
  const n = sessions.length;
  const clientId = sessions.clientId;
  const end = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    end[i] = sessions.end(i) ?? Infinity;
  }
  const byClientAndEnd = (a: number, b: number): number => {
    const ca = clientId[a];
    const cb = clientId[b];
    if (ca !== cb) {
      return ca < cb ? -1 : 1;
    }
    return end[a] !== end[b] ? (end[a] < end[b] ? -1 : 1) : a - b;
  };
  const before: number[] = [];
  const started: number[] = [];
  for (let i = 0; i < n; i++) {
    (sessions.connectRow[i] < 0 ? before : started).push(i);
  }
  before.sort(byClientAndEnd);
  for (let from = 0; from < started.length;) {
    const start = sessions.start(started[from]);
    let to = from + 1;
    while (to < started.length && sessions.start(started[to]) === start) {
      to++;
    }
    if (to - from > 1) {
      const run = started.slice(from, to).sort(byClientAndEnd);
      for (let k = 0; k < run.length; k++) {
        started[from + k] = run[k];
      }
    }
    from = to;
  }
  return before.concat(started);
}

/** Where an open session's duration stops (see the file comment); undefined without data. */
export function observationEnd(selections: readonly Selection[], range: OutputRange): number | undefined {
  const data = timeSpan(selections);
  if (!data) {
    return undefined;
  }
  const rangeValid = Number.isFinite(range.from) && Number.isFinite(range.to) && range.from <= range.to;
  return rangeValid && data.to >= range.from ? Math.max(data.to, range.to) : data.to;
}

const DESCRIPTIONS = {
  clientId: 'The MQTT client ID of the session.',
  principalId: 'The principal that connected (certificate ID, Cognito identity, …).',
  start: 'When the session began: its successful Connect. Empty when it began before the data.',
  end: 'When the session ended: its Disconnect. Empty while it is still open at the end of the data.',
  duration:
    'End − start. For a session still open: until the later of the time range’s end and the last entry ' +
    '(the last entry when the data ends before the range). Empty when the start is unknown.',
  disconnectReason: 'Why the client disconnected, e.g. CLIENT_INITIATED_DISCONNECT or MQTT_KEEP_ALIVE_TIMEOUT.',
  sourceIp: 'The IP address the client connected from.',
  protocol: 'The protocol of the connection (MQTT or HTTP).',
  open: 'True when no Disconnect ended the session in the data.',
  startedBeforeData: 'True when the session’s Connect is not in the data (a Disconnect without a Connect).',
  takeover: 'True when the session began while another session of the same clientId was open (it took over).',
  takenOver: 'True when the session ended because another connection with the same clientId took over.',
} as const;

function sessionsFrame(sessions: Sessions, observedEnd: number | undefined, refId: string): DataFrame {
  const order = sortedSessions(sessions);
  const n = order.length;
  const field = <T>(name: keyof typeof DESCRIPTIONS, type: string, value: (i: number) => T, unit?: string): Field => {
    const values = new Array<T>(n);
    for (let k = 0; k < n; k++) {
      values[k] = value(order[k]);
    }
    return {
      name,
      type: type as FieldType,
      config: unit ? { description: DESCRIPTIONS[name], unit } : { description: DESCRIPTIONS[name] },
      values,
    };
  };
  const duration = (i: number): number | null => {
    const start = sessions.start(i);
    const end = sessions.end(i) ?? observedEnd;
    return start === null || end === undefined ? null : Math.max(0, end - start);
  };
  return {
    name: 'sessions',
    refId,
    fields: [
      field('clientId', 'string', (i) => sessions.clientId[i]),
      field('principalId', 'string', (i) => sessions.connectValue(i, 'principalId')),
      field('start', 'time', (i) => sessions.start(i)),
      field('end', 'time', (i) => sessions.end(i)),
      field('duration', 'number', duration, 'ms'),
      field('disconnectReason', 'string', (i) => sessions.disconnectValue(i, 'disconnectReason')),
      field('sourceIp', 'string', (i) => sessions.connectValue(i, 'sourceIp')),
      field('protocol', 'string', (i) => sessions.connectValue(i, 'protocol')),
      field('open', 'boolean', (i) => sessions.disconnectRow[i] < 0),
      field('startedBeforeData', 'boolean', (i) => sessions.connectRow[i] < 0),
      field('takeover', 'boolean', (i) => (sessions.flags[i] & TAKEOVER) !== 0),
      field('takenOver', 'boolean', (i) => (sessions.flags[i] & TAKEN_OVER) !== 0),
    ],
    length: n,
    meta: { preferredVisualisationType: 'table' },
  };
}
