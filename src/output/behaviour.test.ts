import type { DataFrame } from '@grafana/data';
import fc from 'fast-check';

import { parseTables, type EventTable } from '../parsing';
import { tableOf, type TestRow } from '../parsing/testTables';
import { awsReferenceExamples } from '../parsing/testutils';
import {
  BEHAVIOUR_METRICS,
  behaviourOutput,
  behaviourSeries,
  deviceBehaviour,
  MAX_REASON_COLUMNS,
  OTHER_REASON_METRIC,
  quantile,
  type DeviceBehaviour,
} from './behaviour';
import { planBuckets } from './interval';
import { sessionsOutput } from './sessions';
import type { OutputFn, OutputOptions, OutputRange, Selection } from './types';
import { OutputError } from './values';

const S = 1000;
const T0 = Date.UTC(2024, 0, 1);
const at = (seconds: number) => T0 + seconds * S;
const RANGE: OutputRange = { from: T0, to: at(100) };

type Entry = TestRow & { eventType: string };

/** One selection per eventType of the entries (every row kept). */
function log(entries: Entry[]): Selection[] {
  const types = [...new Set(entries.map((e) => e.eventType))];
  return types.map((type) => ({
    table: tableOf(
      type,
      entries.filter((e) => e.eventType === type).map(({ eventType: _, ...row }) => row)
    ),
  }));
}

const e = (eventType: string, seconds: number, clientId: string | null, extra: Partial<TestRow> = {}): Entry => ({
  eventType,
  timestamp: at(seconds),
  logLevel: extra.status === 'Failure' ? 'ERROR' : 'INFO',
  status: 'Success',
  ...(clientId === null ? {} : { clientId }),
  ...extra,
});
const fail = (reason: string, extra: Partial<TestRow> = {}) => ({ status: 'Failure', reason, ...extra });

/** Each device's value of a metric (null when unknown), by clientId. */
function metric(b: DeviceBehaviour, name: string): Record<string, number | null> {
  const mi = b.metrics.findIndex((m) => m.name === name);
  expect(mi).toBeGreaterThanOrEqual(0);
  return Object.fromEntries(b.clientIds.map((id, d) => [id, b.known[mi] ? b.values[mi][d] : null]));
}

/** A frame's rows as objects. */
function rows(frame: DataFrame): Array<Record<string, unknown>> {
  return Array.from({ length: frame.length }, (_, i) =>
    Object.fromEntries(frame.fields.map((f) => [f.name, f.values[i]]))
  );
}

const FLEET: Entry[] = [
  e('Connect', 0, 'a', { sourceIp: '10.0.0.1' }),
  e('Connect', 1, 'b', fail('AUTHORIZATION_FAILURE', { sourceIp: '10.0.0.2' })),
  e('Connect', 2, 'b', fail('CLIENT_ERROR', { sourceIp: '10.0.0.3' })),
  e('Connect', 3, 'c', { sourceIp: '10.0.0.4' }),
  e('Publish-In', 4, 'a', { sourceIp: '10.0.0.1' }),
  e('Publish-In', 5, 'a', { sourceIp: '10.0.0.1' }),
  e('Publish-In', 6, 'c', fail('AUTHORIZATION_FAILURE', { sourceIp: '10.0.0.4' })),
  e('Publish-In', 6.5, 'c', fail('THROTTLED', { sourceIp: '10.0.0.4' })),
  e('Publish-Out', 7, 'c'),
  e('Subscribe', 8, 'c', fail('AUTHORIZATION_FAILURE')),
  e('Connection.AuthNError', 9, 'd', { status: 'Failure', logLevel: 'ERROR', reason: 'DEVICE_CERTIFICATE_REVOKED' }),
  e('Disconnect', 10, 'a', { disconnectReason: 'MQTT_KEEP_ALIVE_TIMEOUT', sourceIp: '10.0.0.5' }),
  e('Connect', 30, 'a', { sourceIp: '10.0.0.1' }),
  e('Disconnect', 40, 'a', { disconnectReason: 'CLIENT_INITIATED_DISCONNECT' }),
  e('Disconnect', 41, 'c', { disconnectReason: 'THROTTLED' }),
  e('RuleExecution', 42, 'a', { status: 'Failure', logLevel: 'ERROR', ruleName: 'r' }),
  e('RuleExecution', 43, 'a', { ruleName: 'r' }),
  e('RuleNotFound', 44, 'c', { status: 'Failure', logLevel: 'ERROR' }),
  e('RuleMessageThrottled', 45, 'c', { status: 'Failure', logLevel: 'ERROR' }),
  e('FunctionExecution', 46, 'N/A', { status: 'Failure', logLevel: 'ERROR' }),
  e('UpdateThingShadow', 47, null, { status: 'Failure', logLevel: 'ERROR', thingName: 'a' }),
  e('GetThingShadow', 48, null, { status: 'Failure', logLevel: 'ERROR', thingName: 'thing-of-c' }),
  e('GetThingShadow', 49, null, { status: 'Failure', logLevel: 'ERROR', thingName: 'stranger' }),
  e('GetThingShadow', 49.5, null, { thingName: 'a' }),
  e('UpdateJobExecution', 50, 'c', { thingName: 'thing-of-c' }),
];

describe('deviceBehaviour', () => {
  const b = deviceBehaviour(log(FLEET), RANGE);

  it('finds the devices by clientId, with their thing names where the logs give them', () => {
    expect(b.clientIds).toEqual(['a', 'b', 'c', 'd']);
    expect(Object.fromEntries(b.clientIds.map((id, d) => [id, b.thingNames[d]]))).toEqual({
      a: 'a', // a shadow entry of thing `a` (its clientId)
      b: null,
      c: 'thing-of-c', // its jobs entry
      d: null,
    });
    expect(b.shadowWithoutDevice).toBe(1);
    expect(b.withoutClientId).toBe(0);
  });

  it.each([
    ['connectAttempts', { a: 2, b: 2, c: 1, d: 0 }],
    ['connects', { a: 2, b: 0, c: 1, d: 0 }],
    ['connectFailures', { a: 0, b: 2, c: 0, d: 0 }],
    ['connectAuthorizationFailures', { a: 0, b: 1, c: 0, d: 0 }],
    ['authenticationFailures', { a: 0, b: 0, c: 0, d: 1 }],
    ['disconnects', { a: 2, b: 0, c: 1, d: 0 }],
    ['disconnects_MQTT_KEEP_ALIVE_TIMEOUT', { a: 1, b: 0, c: 0, d: 0 }],
    ['disconnects_CLIENT_INITIATED_DISCONNECT', { a: 1, b: 0, c: 0, d: 0 }],
    ['disconnects_THROTTLED', { a: 0, b: 0, c: 1, d: 0 }],
    ['messagesPublished', { a: 2, b: 0, c: 0, d: 0 }],
    ['messagesDelivered', { a: 0, b: 0, c: 1, d: 0 }],
    ['publishAuthorizationFailures', { a: 0, b: 0, c: 1, d: 0 }],
    ['subscribeAuthorizationFailures', { a: 0, b: 0, c: 1, d: 0 }],
    // Publish-In THROTTLED, Disconnect THROTTLED, RuleMessageThrottled.
    ['throttledRequests', { a: 0, b: 0, c: 3, d: 0 }],
    ['distinctSourceIps', { a: 2, b: 2, c: 1, d: 0 }],
    ['ruleFailures', { a: 1, b: 0, c: 1, d: 0 }],
    ['shadowFailures', { a: 1, b: 0, c: 1, d: 0 }],
    // a: away 10s → 30s, then 40s → the range's end (100s); c: 41s → 100s.
    ['timeDisconnected', { a: 80 * S, b: 0, c: 59 * S, d: 0 }],
  ])('counts %s', (name, expected) => {
    expect(metric(b, name)).toEqual(expected);
  });

  it('lists every metric of BEHAVIOUR_METRICS, reasons after disconnects, each documented', () => {
    const names = b.metrics.map((m) => m.name);
    expect(names.filter((n) => !n.startsWith('disconnects_'))).toEqual(BEHAVIOUR_METRICS.map((m) => m.name));
    // Most frequent first, ties by name.
    const after = names.indexOf('disconnects') + 1;
    expect(names.slice(after, after + 3)).toEqual([
      'disconnects_CLIENT_INITIATED_DISCONNECT',
      'disconnects_MQTT_KEEP_ALIVE_TIMEOUT',
      'disconnects_THROTTLED',
    ]);
    for (const m of BEHAVIOUR_METRICS) {
      expect(m.description).not.toBe('');
      expect(m.counts).not.toBe('');
      expect(m.level === 'ERROR' || m.evidence !== undefined).toBe(true);
    }
  });

  it('leaves out N/A and missing clientIds', () => {
    const r = deviceBehaviour(log([e('Connect', 0, 'N/A'), e('Connect', 1, null), e('Connect', 2, 'x')]), RANGE);
    expect(r.clientIds).toEqual(['x']);
    expect(r.withoutClientId).toBe(1);
  });

  it('spells DUPLICATE_CLIENT_ID as disconnectReason does and folds rare reasons into other', () => {
    const many: Entry[] = [e('Disconnect', 0, 'x', { status: 'Failure', reason: 'DUPLICATE_CLIENT_ID' })];
    for (let k = 0; k <= MAX_REASON_COLUMNS; k++) {
      for (let j = 0; j <= MAX_REASON_COLUMNS - k; j++) {
        many.push(e('Disconnect', 1 + k, 'x', { disconnectReason: `R${String(k).padStart(2, '0')}` }));
      }
    }
    many.push(e('Disconnect', 99, 'x'));
    const r = deviceBehaviour(log(many), RANGE);
    const reasons = r.metrics.map((m) => m.name).filter((n) => n.startsWith('disconnects_'));
    expect(reasons).toHaveLength(MAX_REASON_COLUMNS + 1);
    expect(reasons[0]).toBe('disconnects_R00');
    expect(reasons[reasons.length - 1]).toBe(OTHER_REASON_METRIC);
    // The least frequent named reasons (R16 once, DUPLICATE_CLIENTID once) and the one without a reason.
    expect(metric(r, OTHER_REASON_METRIC)).toEqual({ x: 3 });
    expect(reasons).not.toContain('disconnects_DUPLICATE_CLIENT_ID');
    const withDuplicate = deviceBehaviour(log(many.slice(0, 2)), RANGE);
    expect(metric(withDuplicate, 'disconnects_DUPLICATE_CLIENTID')).toEqual({ x: 1 });
  });

  it('counts no time disconnected while a takeover keeps the device connected', () => {
    const r = deviceBehaviour(
      log([
        e('Connect', 0, 'x'),
        e('Connect', 10, 'x'),
        e('Disconnect', 11, 'x', { disconnectReason: 'DUPLICATE_CLIENTID' }),
        e('Disconnect', 20, 'x', { disconnectReason: 'CONNECTION_LOST' }),
        e('Connect', 50, 'x'),
      ]),
      RANGE
    );
    expect(metric(r, 'timeDisconnected')).toEqual({ x: 30 * S });
  });
});

describe('log levels: absent, not zero', () => {
  it('gives null for what needs INFO when the data holds only ERROR entries', () => {
    const r = deviceBehaviour(
      log([e('Connect', 0, 'x', fail('AUTHORIZATION_FAILURE')), e('Publish-In', 1, 'y', fail('THROTTLED'))]),
      RANGE
    );
    for (const name of ['connectAttempts', 'connects', 'disconnects', 'timeDisconnected', 'messagesPublished']) {
      expect(metric(r, name)).toEqual({ x: null, y: null });
    }
    expect(metric(r, 'connectFailures')).toEqual({ x: 1, y: 0 });
    expect(metric(r, 'throttledRequests')).toEqual({ x: 0, y: 1 });
    expect(metric(r, 'ruleFailures')).toEqual({ x: 0, y: 0 });
  });

  it('gives 0 where INFO entries of the event type show it is logged', () => {
    const r = deviceBehaviour(log([e('Connect', 0, 'x'), e('Connect', 1, 'y', fail('CLIENT_ERROR'))]), RANGE);
    expect(metric(r, 'connects')).toEqual({ x: 1, y: 0 });
    // No Publish-In entry at INFO: the Connect entries say nothing of it.
    expect(metric(r, 'messagesPublished')).toEqual({ x: null, y: null });
  });

  it('reads an entry without logLevel by its status', () => {
    const r = deviceBehaviour(
      log([{ eventType: 'Connect', timestamp: at(0), clientId: 'x', status: 'Success' }]),
      RANGE
    );
    expect(metric(r, 'connects')).toEqual({ x: 1 });
  });

  it('says in a notice which columns are empty and why', () => {
    const [frame] = behaviourOutput(
      log([e('Connect', 0, 'x', fail('CLIENT_ERROR'))]),
      { refId: 'A', output: 'table' },
      RANGE
    );
    const texts = (frame.meta?.notices ?? []).map((n) => n.text).join('\n');
    expect(texts).toContain('connects');
    expect(texts).toContain('messagesDelivered');
    expect(texts).toContain('unknown, not zero');
    expect(rows(frame)[0]).toMatchObject({ clientId: 'x', connects: null, connectFailures: 1 });
  });
});

describe('behaviourOutput', () => {
  const options: OutputOptions = { refId: 'B', output: 'table' };

  it('is an OutputFn', () => {
    const fn: OutputFn = behaviourOutput;
    expect(fn).toBe(behaviourOutput);
  });

  it('gives one row per device, most disconnects and failures first, with descriptions and units', () => {
    const [frame, fleet] = behaviourOutput(log(FLEET), options, RANGE);
    expect(frame.name).toBe('behaviour');
    expect(frame.refId).toBe('B');
    // c: 1 disconnect + 6 failures; a: 2 + 2; b: 2 failures; d: 1.
    expect(frame.fields[0].values).toEqual(['c', 'a', 'b', 'd']);
    expect(frame.fields.map((f) => f.name).slice(0, 2)).toEqual(['clientId', 'thingName']);
    for (const f of frame.fields) {
      expect(f.config.description).toBeTruthy();
    }
    expect(frame.fields.find((f) => f.name === 'timeDisconnected')!.config.unit).toBe('ms');
    expect(fleet.name).toBe('fleet');
    expect(fleet.fields.map((f) => f.name)).toEqual(['statistic', ...frame.fields.slice(2).map((f) => f.name)]);
    const notices = (frame.meta?.notices ?? []).map((n) => n.text).join('\n');
    expect(notices).toContain('1 Device Shadow entry');
  });

  it('gives the fleet’s median and p90 of each column', () => {
    const [, fleet] = behaviourOutput(log(FLEET), options, RANGE);
    const [median, p90] = rows(fleet);
    expect(median.statistic).toBe('median');
    expect(p90.statistic).toBe('p90');
    // connectAttempts 0, 1, 2, 2: median 1.5, p90 at rank 2.7: 2.
    expect(median.connectAttempts).toBe(1.5);
    expect(p90.connectAttempts).toBe(2);
    // throttledRequests 0, 0, 0, 3: median 0, p90 at rank 2.7: 0.7 × 3.
    expect(median.throttledRequests).toBe(0);
    expect(p90.throttledRequests).toBeCloseTo(2.1, 10);
  });

  it('gives null fleet statistics for unknown columns and for no devices', () => {
    const [, fleet] = behaviourOutput(log([e('Connect', 0, 'x', fail('CLIENT_ERROR'))]), options, RANGE);
    expect(rows(fleet)[0]).toMatchObject({ connects: null, connectFailures: 1 });
    const [empty, emptyFleet] = behaviourOutput([], options, RANGE);
    expect(empty.length).toBe(0);
    expect(rows(emptyFleet)[0]).toMatchObject({ statistic: 'median', connectFailures: null });
  });

  it('computes quantiles linearly between ranks', () => {
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([7], 0.9)).toBe(7);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1, 10);
    expect(quantile([1, 2, 3], 0.5)).toBe(2);
  });
});

describe('behaviourSeries', () => {
  const options: OutputOptions = { refId: 'C', output: 'timeseries', interval: '10s' };
  const entries: Entry[] = [
    e('Disconnect', 1, 'a'),
    e('Disconnect', 2, 'a'),
    e('Disconnect', 15, 'a'),
    e('Disconnect', 3, 'b'),
    e('Disconnect', 25, 'b'),
    e('Disconnect', 26, 'c'),
    e('Connect', 27, 'd'),
  ];
  const range: OutputRange = { from: T0, to: at(39) };

  it('shows the metric per interval for the devices with the largest totals', () => {
    const frames = behaviourSeries(log(entries), { ...options, limit: 2 }, range);
    expect(frames.map((f) => f.name)).toEqual(['a', 'b']);
    expect(frames.map((f) => f.fields[1].values)).toEqual([
      [2, 1, 0, 0],
      [1, 0, 1, 0],
    ]);
    const [time, value] = frames[0].fields;
    expect(time).toMatchObject({ name: 'time', type: 'time', config: { interval: 10 * S } });
    expect(time.values).toEqual([at(0), at(10), at(20), at(30)]);
    expect(value).toMatchObject({ name: 'disconnects', labels: { clientId: 'a' } });
    expect(value.config.displayNameFromDS).toBe('a');
    expect(value.config.description).toBeTruthy();
    expect(frames[0].meta).toMatchObject({ type: 'timeseries-multi', typeVersion: [0, 1] });
    expect(frames[0].meta?.notices?.[0].text).toContain('1 other device left out');
  });

  it('leaves out devices with none and shows zeros when no device has any', () => {
    expect(behaviourSeries(log(entries), options, range).map((f) => f.name)).toEqual(['a', 'b', 'c']);
    const frames = behaviourSeries(log(entries), { ...options, metricField: 'connectFailures' }, range);
    expect(frames).toHaveLength(1);
    expect(frames[0].fields[1].values).toEqual([0, 0, 0, 0]);
  });

  it('shows time disconnected per interval, split at the bounds', () => {
    const frames = behaviourSeries(
      log([e('Connect', 0, 'x'), e('Disconnect', 5, 'x'), e('Connect', 25, 'x')]),
      { ...options, metricField: 'timeDisconnected' },
      range
    );
    expect(frames[0].fields[1].values).toEqual([5 * S, 10 * S, 5 * S, 0]);
    expect(frames[0].fields[1].config.unit).toBe('ms');
  });

  it('shows a disconnect reason by its column name', () => {
    const frames = behaviourSeries(
      log([e('Disconnect', 0, 'x', { disconnectReason: 'CONNECTION_LOST' }), e('Disconnect', 12, 'x')]),
      { ...options, metricField: 'disconnects_CONNECTION_LOST' },
      range
    );
    expect(frames[0].fields[1].values).toEqual([1, 0, 0, 0]);
  });

  it('gives empty values and a notice when the log level cannot say', () => {
    const frames = behaviourSeries(
      log([e('Connect', 0, 'x', fail('CLIENT_ERROR'))]),
      { ...options, metricField: 'messagesPublished' },
      range
    );
    expect(frames).toHaveLength(1);
    expect(frames[0].fields[1].values).toEqual([null, null, null, null]);
    expect(frames[0].meta?.notices?.[0].text).toContain('unknown, not zero');
  });

  it('refuses an unknown metric with the names it knows', () => {
    expect(() => behaviourSeries(log(entries), { ...options, metricField: 'clientId' }, range)).toThrow(OutputError);
    expect(() => behaviourSeries(log(entries), { ...options, metricField: 'clientId' }, range)).toThrow(
      /connectAttempts/
    );
  });
});

describe('properties', () => {
  const EVENT_TYPES = ['Connect', 'Disconnect', 'Publish-In', 'Publish-Out', 'Subscribe', 'RuleExecution'] as const;
  const arbEntry = fc.record({
    eventType: fc.constantFrom(...EVENT_TYPES),
    second: fc.integer({ min: 0, max: 99 }),
    clientId: fc.constantFrom('a', 'b', 'c', 'N/A'),
    failed: fc.boolean(),
    reason: fc.constantFrom('AUTHORIZATION_FAILURE', 'THROTTLED', 'CLIENT_ERROR'),
    disconnectReason: fc.constantFrom('CONNECTION_LOST', 'MQTT_KEEP_ALIVE_TIMEOUT', undefined),
    sourceIp: fc.constantFrom('1.1.1.1', '2.2.2.2', undefined),
    keep: fc.boolean(),
  });

  it('per-device totals equal the sums of the per-interval values; attempts equal the Connect rows kept', () => {
    fc.assert(
      fc.property(fc.array(arbEntry, { maxLength: 60 }), fc.integer({ min: 1, max: 40 }), (arb, seconds) => {
        const entries = arb.map((a) =>
          e(a.eventType, a.second, a.clientId, {
            ...(a.failed ? fail(a.reason) : {}),
            disconnectReason: a.disconnectReason,
            sourceIp: a.sourceIp,
          })
        );
        // Keep some rows of each table (the `keep` of its entries, in table order).
        const selections = log(entries).map(({ table }): Selection => {
          const mine = arb.filter((a) => a.eventType === table.eventType);
          const rows = table.record.map((r, i) => (mine[r].keep ? i : -1)).filter((i) => i >= 0);
          return { table, rows: Int32Array.from(rows) };
        });
        const buckets = planBuckets(RANGE, undefined, seconds * S);
        const r = deviceBehaviour(selections, RANGE, { buckets });
        const nb = buckets.count;
        r.metrics.forEach((m, mi) => {
          if (!m.additive) {
            return;
          }
          r.clientIds.forEach((_, d) => {
            const per = r.intervals!.values[mi]!.subarray(d * nb, (d + 1) * nb);
            expect(per.reduce((x, y) => x + y, 0)).toBe(r.values[mi][d]);
          });
        });
        const kept = arb.filter((a) => a.eventType === 'Connect' && a.keep && a.clientId !== 'N/A').length;
        const [frame] = behaviourOutput(selections, { refId: 'A', output: 'table' }, RANGE);
        const attempts = frame.fields.find((f) => f.name === 'connectAttempts')!.values as Array<number | null>;
        if (attempts.every((v) => v !== null)) {
          expect(attempts.reduce((x, y) => x + y, 0)).toBe(kept);
        } else {
          expect(attempts.every((v) => v === null)).toBe(true);
        }
      })
    );
  });
});

/**
 * Time disconnected from the sessions output's frame: per client, the gaps in the union of its sessions
 * after the first one ends, until the end of what was observed (the end an open session's duration
 * runs to, or the data's last entry / the range's end as sessions.ts says).
 */
function timeDisconnectedFromSessions(selections: Selection[], range: OutputRange): Record<string, number> {
  const [frame] = sessionsOutput(selections, { refId: 'S', output: 'sessions' }, range);
  const out: Record<string, number> = {};
  const covered = new Map<string, number>();
  let last = -Infinity;
  for (const s of selections) {
    for (let i = 0; i < (s.rows ? s.rows.length : s.table.length); i++) {
      last = Math.max(last, s.table.time[s.rows ? s.rows[i] : i]);
    }
  }
  const observed = last >= range.from ? Math.max(last, range.to) : last;
  for (const r of rows(frame)) {
    const id = r.clientId as string;
    const start = r.start === null ? -Infinity : (r.start as number);
    const end = r.end === null ? Infinity : (r.end as number);
    const until = covered.get(id);
    out[id] ??= 0;
    if (until !== undefined && start > until) {
      out[id] += start - until;
    }
    covered.set(id, until === undefined ? end : Math.max(until, end));
  }
  for (const [id, until] of covered) {
    if (Number.isFinite(until) && observed > until) {
      out[id] += observed - until;
    }
  }
  return out;
}

describe('time disconnected', () => {
  const arbEvent = fc.record({
    connect: fc.boolean(),
    second: fc.integer({ min: 0, max: 80 }),
    clientId: fc.constantFrom('a', 'b'),
    failed: fc.boolean(),
    duplicate: fc.boolean(),
  });

  it('is the time no session of the sessions output is open', () => {
    fc.assert(
      fc.property(fc.array(arbEvent, { maxLength: 30 }), (events) => {
        const selections = log(
          events.map((x) =>
            x.connect
              ? e('Connect', x.second, x.clientId, x.failed ? fail('CLIENT_ERROR') : {})
              : e('Disconnect', x.second, x.clientId, {
                  disconnectReason: x.duplicate ? 'DUPLICATE_CLIENTID' : 'CONNECTION_LOST',
                })
          )
        );
        // Known only with an INFO Connect; the sessions count Connects whatever their level.
        const b = deviceBehaviour(selections, RANGE);
        const mi = b.metrics.findIndex((m) => m.name === 'timeDisconnected');
        if (!b.known[mi]) {
          return;
        }
        const sessions = timeDisconnectedFromSessions(selections, RANGE);
        for (const [d, id] of b.clientIds.entries()) {
          expect([id, b.values[mi][d]]).toEqual([id, sessions[id] ?? 0]);
        }
      }),
      { numRuns: 500 }
    );
  });
});

describe('the sharing rule', () => {
  const examples = awsReferenceExamples();
  const text = [...examples, ...examples.slice().reverse()].map((x) => JSON.stringify(x.json)).join('\n');
  const { tables } = parseTables(text);
  const freeze = (ts: readonly EventTable[]) => {
    for (const table of ts) {
      for (const array of [table.time, table.body, table.record, ...table.columns.map((c) => c.values)]) {
        Object.freeze(array);
      }
    }
  };
  const snapshot = JSON.stringify(tables);
  freeze(tables);

  it('never writes into the tables, and frames share no array with them', () => {
    const all: Selection[] = tables.map((table) => ({ table }));
    const some: Selection[] = tables.map((table) => ({ table, rows: Int32Array.from([0]) }));
    const range: OutputRange = { from: 0, to: Date.UTC(2030, 0, 1), intervalMs: 3_600_000, maxDataPoints: 500 };
    const arrays = new Set<unknown>(
      tables.flatMap((t) => [t.time, t.body, t.record, ...t.columns.map((c) => c.values)])
    );
    for (const selections of [all, some]) {
      const frames = [
        ...behaviourOutput(selections, { refId: 'A', output: 'table' }, range),
        ...behaviourSeries(selections, { refId: 'A', output: 'timeseries', metricField: 'connects' }, range),
      ];
      for (const frame of frames) {
        for (const f of frame.fields) {
          expect(arrays.has(f.values)).toBe(false);
        }
      }
    }
    expect(JSON.stringify(tables)).toBe(snapshot);
  });
});
