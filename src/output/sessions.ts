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

interface Session {
  clientId: string;
  principalId: string | null;
  start: number | null;
  end: number | null;
  disconnectReason: string | null;
  sourceIp: string | null;
  protocol: string | null;
  takeover: boolean;
  takenOver: boolean;
  /** Order of creation, the last tie-breaker of the sort. */
  seq: number;
}

/** The columns the pairing reads, per selection. */
interface Columns {
  isConnect: boolean;
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

export function sessionsOutput(
  selections: readonly Selection[],
  options: OutputOptions,
  range: OutputRange
): DataFrame[] {
  const kept = nonEmpty(selections);
  const pairs = kept.filter((s) => s.table.eventType === CONNECT || s.table.eventType === DISCONNECT);
  const columns: Columns[] = pairs.map((s) => ({
    isConnect: s.table.eventType === CONNECT,
    clientId: columnValues(s, 'clientId'),
    status: columnValues(s, 'status'),
    principalId: columnValues(s, 'principalId'),
    sourceIp: columnValues(s, 'sourceIp'),
    protocol: columnValues(s, 'protocol'),
    disconnectReason: columnValues(s, 'disconnectReason'),
    reason: columnValues(s, 'reason'),
  }));

  const sessions: Session[] = [];
  const open = new Map<string, Session[]>();
  /** Clients whose takeover Disconnect found no newer session open: the time of that Disconnect. */
  const takenAt = new Map<string, number>();
  let withoutClient = 0;
  const merged = mergeByTime(pairs);
  for (let i = 0; i < merged.length; i++) {
    const c = columns[merged.selection[i]];
    const row = merged.row[i];
    const time = pairs[merged.selection[i]].table.time[row];
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
      const taken = takenAt.get(clientId);
      takenAt.delete(clientId);
      const session: Session = {
        clientId,
        principalId: text(c.principalId, row),
        start: time,
        end: null,
        disconnectReason: null,
        sourceIp: text(c.sourceIp, row),
        protocol: text(c.protocol, row),
        takeover:
          (stack !== undefined && stack.length > 0) || (taken !== undefined && time - taken <= TAKEOVER_WINDOW_MS),
        takenOver: false,
        seq: sessions.length,
      };
      sessions.push(session);
      if (!stack) {
        stack = [];
        open.set(clientId, stack);
      }
      stack.push(session);
      continue;
    }
    const disconnectReason = text(c.disconnectReason, row);
    const duplicate = isDuplicate(disconnectReason) || isDuplicate(text(c.reason, row));
    let session: Session;
    if (stack && stack.length > 0) {
      session = duplicate ? stack.shift()! : stack.pop()!;
    } else {
      session = {
        clientId,
        principalId: null,
        start: null,
        end: null,
        disconnectReason: null,
        sourceIp: null,
        protocol: null,
        takeover: false,
        takenOver: false,
        seq: sessions.length,
      };
      sessions.push(session);
    }
    session.end = time;
    session.disconnectReason = disconnectReason;
    session.takenOver = duplicate;
    session.principalId ??= text(c.principalId, row);
    session.sourceIp ??= text(c.sourceIp, row);
    session.protocol ??= text(c.protocol, row);
    if (duplicate && !(stack && stack.length > 0)) {
      takenAt.set(clientId, time);
    }
  }

  sessions.sort(
    (a, b) =>
      (a.start === null ? (b.start === null ? 0 : -1) : b.start === null ? 1 : a.start - b.start) ||
      (a.clientId < b.clientId ? -1 : a.clientId > b.clientId ? 1 : 0) ||
      (a.end === null ? (b.end === null ? 0 : 1) : b.end === null ? -1 : a.end - b.end) ||
      a.seq - b.seq
  );

  const observedEnd = observationEnd(kept, range);
  const frame = sessionsFrame(sessions, observedEnd, options.refId);
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

/** Where an open session's duration stops (see the file comment); undefined without data. */
function observationEnd(selections: readonly Selection[], range: OutputRange): number | undefined {
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

function sessionsFrame(sessions: readonly Session[], observedEnd: number | undefined, refId: string): DataFrame {
  const n = sessions.length;
  const field = <T>(name: keyof typeof DESCRIPTIONS, type: string, get: (s: Session) => T, unit?: string): Field => {
    const values = new Array<T>(n);
    for (let i = 0; i < n; i++) {
      values[i] = get(sessions[i]);
    }
    return {
      name,
      type: type as FieldType,
      config: unit ? { description: DESCRIPTIONS[name], unit } : { description: DESCRIPTIONS[name] },
      values,
    };
  };
  const duration = (s: Session): number | null => {
    if (s.start === null) {
      return null;
    }
    const end = s.end ?? observedEnd;
    return end === undefined ? null : Math.max(0, end - s.start);
  };
  return {
    name: 'sessions',
    refId,
    fields: [
      field('clientId', 'string', (s) => s.clientId),
      field('principalId', 'string', (s) => s.principalId),
      field('start', 'time', (s) => s.start),
      field('end', 'time', (s) => s.end),
      field('duration', 'number', duration, 'ms'),
      field('disconnectReason', 'string', (s) => s.disconnectReason),
      field('sourceIp', 'string', (s) => s.sourceIp),
      field('protocol', 'string', (s) => s.protocol),
      field('open', 'boolean', (s) => s.end === null),
      field('startedBeforeData', 'boolean', (s) => s.start === null),
      field('takeover', 'boolean', (s) => s.takeover),
      field('takenOver', 'boolean', (s) => s.takenOver),
    ],
    length: n,
    meta: { preferredVisualisationType: 'table' },
  };
}
