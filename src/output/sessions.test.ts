import type { DataFrame } from '@grafana/data';

import type { EventTable } from '../parsing/table';
import { tableOf, type TestRow } from '../parsing/testTables';
import { sessionsOutput, TAKEOVER_WINDOW_MS } from './sessions';
import type { OutputFn, OutputRange, Selection } from './types';

const S = 1000;
const T0 = Date.UTC(2024, 0, 1);
const RANGE: OutputRange = { from: T0, to: T0 + 300 * S };

const at = (seconds: number) => T0 + seconds * S;

/**
 * Connect and Disconnect tables of the given entries (`type` says which), with record numbers in the
 * order written, as the parser numbers the input's records across tables.
 */
function log(entries: Array<TestRow & { type: 'Connect' | 'Disconnect' }>): Selection[] {
  const tables: Selection[] = [];
  for (const type of ['Connect', 'Disconnect'] as const) {
    const mine = entries.map((e, record) => ({ e, record })).filter(({ e }) => e.type === type);
    if (mine.length === 0) {
      continue;
    }
    const table = tableOf(
      type,
      mine.map(({ e: { type: _, ...row } }) => row)
    );
    // tableOf numbers the rows of each table from 0: give them their place in the whole log.
    const record = table.record.map((i) => mine[i].record);
    tables.push({ table: { ...table, record } as EventTable });
  }
  return tables;
}

function run(selections: Selection[], range = RANGE): DataFrame {
  const frames = sessionsOutput(selections, { refId: 'D', output: 'sessions' }, range);
  expect(frames).toHaveLength(1);
  return frames[0];
}

type Row = Record<string, unknown>;

/** The frame's rows as objects. */
function rows(frame: DataFrame): Row[] {
  return Array.from({ length: frame.length }, (_, i) =>
    Object.fromEntries(frame.fields.map((f) => [f.name, f.values[i]]))
  );
}

/** The pairing facts of each row: client, start and end (seconds from T0, null when unknown), flags. */
function pairs(frame: DataFrame) {
  const s = (t: unknown) => (t === null ? null : ((t as number) - T0) / S);
  return rows(frame).map((r) => {
    const flags = ['open', 'startedBeforeData', 'takeover', 'takenOver'].filter((k) => r[k] === true);
    return [r.clientId, s(r.start), s(r.end), ...flags];
  });
}

const connect = (clientId: string, seconds: number, extra: Partial<TestRow> = {}) => ({
  type: 'Connect' as const,
  timestamp: at(seconds),
  status: 'Success',
  clientId,
  ...extra,
});
const disconnect = (
  clientId: string,
  seconds: number,
  disconnectReason = 'CLIENT_INITIATED_DISCONNECT',
  extra = {}
) => ({
  type: 'Disconnect' as const,
  timestamp: at(seconds),
  status: 'Success',
  clientId,
  disconnectReason,
  ...extra,
});

describe('sessionsOutput', () => {
  it('is an OutputFn', () => {
    const fn: OutputFn = sessionsOutput;
    expect(fn).toBe(sessionsOutput);
  });

  it('pairs a Connect with the Disconnect that follows', () => {
    const frame = run(
      log([
        connect('a', 10, { principalId: 'p1', sourceIp: '10.0.0.1', protocol: 'MQTT', sourcePort: 1 }),
        disconnect('a', 70, 'MQTT_KEEP_ALIVE_TIMEOUT', { sourceIp: '10.0.0.9' }),
      ])
    );
    expect(frame).toMatchObject({
      name: 'sessions',
      refId: 'D',
      length: 1,
      meta: { preferredVisualisationType: 'table' },
    });
    expect(rows(frame)).toEqual([
      {
        clientId: 'a',
        principalId: 'p1',
        start: at(10),
        end: at(70),
        duration: 60 * S,
        disconnectReason: 'MQTT_KEEP_ALIVE_TIMEOUT',
        sourceIp: '10.0.0.1',
        protocol: 'MQTT',
        open: false,
        startedBeforeData: false,
        takeover: false,
        takenOver: false,
      },
    ]);
  });

  it('has typed fields with descriptions, duration in ms', () => {
    const frame = run([]);
    expect(frame.fields.map((f) => [f.name, f.type])).toEqual([
      ['clientId', 'string'],
      ['principalId', 'string'],
      ['start', 'time'],
      ['end', 'time'],
      ['duration', 'number'],
      ['disconnectReason', 'string'],
      ['sourceIp', 'string'],
      ['protocol', 'string'],
      ['open', 'boolean'],
      ['startedBeforeData', 'boolean'],
      ['takeover', 'boolean'],
      ['takenOver', 'boolean'],
    ]);
    expect(frame.length).toBe(0);
    expect(frame.fields.every((f) => f.values.length === 0)).toBe(true);
    expect(frame.fields.every((f) => (f.config.description ?? '').length > 20)).toBe(true);
    expect(frame.fields[4].config.unit).toBe('ms');
  });

  it('handles the edges of the data: a Disconnect first, a Connect never closed', () => {
    const frame = run(
      log([disconnect('b', 5, 'SERVER_INITIATED_DISCONNECT', { principalId: 'pb' }), connect('c', 100)])
    );
    expect(pairs(frame)).toEqual([
      ['b', null, 5, 'startedBeforeData'],
      ['c', 100, null, 'open'],
    ]);
    const [b, c] = rows(frame);
    expect(b).toMatchObject({ duration: null, disconnectReason: 'SERVER_INITIATED_DISCONNECT', principalId: 'pb' });
    // Open: until the later of the range's end (300 s) and the last entry.
    expect(c).toMatchObject({ duration: 200 * S, disconnectReason: null });
  });

  it('ends an open session’s duration at the last entry when the data ends before the range', () => {
    const later = tableOf('Publish-In', [{ timestamp: at(150), clientId: 'x' }]);
    const frame = run([...log([connect('c', 100)]), { table: later }], { from: at(3600), to: at(7200) });
    expect(rows(frame)[0]).toMatchObject({ open: true, duration: 50 * S });
    // Data after the range's end: the last entry too.
    const after = run([...log([connect('c', 100)]), { table: later }], { from: T0, to: at(120) });
    expect(rows(after)[0]).toMatchObject({ duration: 50 * S });
  });

  it('opens no session for a failed Connect', () => {
    const frame = run(
      log([
        connect('d', 10, { status: 'Failure', reason: 'AUTHORIZATION_FAILURE' }),
        connect('d', 20, { status: undefined }),
        disconnect('d', 30),
        connect('d', 40, { status: 'Failure' }),
      ])
    );
    expect(pairs(frame)).toEqual([['d', 20, 30]]);
  });

  it('marks a takeover whose Disconnect is logged after the new Connect', () => {
    const frame = run(
      log([
        connect('e', 10, { sourcePort: 1 }),
        connect('e', 50, { sourcePort: 2 }),
        disconnect('e', 50.5, 'DUPLICATE_CLIENTID', { sourcePort: 1 }),
        disconnect('e', 90),
      ])
    );
    expect(pairs(frame)).toEqual([
      ['e', 10, 50.5, 'takenOver'],
      ['e', 50, 90, 'takeover'],
    ]);
    expect(rows(frame).map((r) => r.disconnectReason)).toEqual(['DUPLICATE_CLIENTID', 'CLIENT_INITIATED_DISCONNECT']);
  });

  it('marks a takeover whose Disconnect is logged before the new Connect', () => {
    const frame = run(
      log([connect('f', 10), disconnect('f', 49.9, 'DUPLICATE_CLIENTID'), connect('f', 50), disconnect('f', 90)])
    );
    expect(pairs(frame)).toEqual([
      ['f', 10, 49.9, 'takenOver'],
      ['f', 50, 90, 'takeover'],
    ]);
  });

  it('recognises the reason spelling DUPLICATE_CLIENT_ID', () => {
    const frame = run(
      log([
        connect('g', 10),
        connect('g', 20),
        disconnect('g', 21, 'ERROR', { status: 'Failure', reason: 'DUPLICATE_CLIENT_ID' }),
      ])
    );
    expect(pairs(frame)).toEqual([
      ['g', 10, 21, 'takenOver'],
      ['g', 20, null, 'open', 'takeover'],
    ]);
  });

  it('does not call a Connect long after a takeover’s Disconnect a takeover', () => {
    const late = TAKEOVER_WINDOW_MS / S + 1;
    const frame = run(log([connect('h', 10), disconnect('h', 20, 'DUPLICATE_CLIENTID'), connect('h', 20 + late)]));
    expect(pairs(frame)).toEqual([
      ['h', 10, 20, 'takenOver'],
      ['h', 20 + late, null, 'open'],
    ]);
  });

  it('follows two devices fighting over one clientId', () => {
    const frame = run(
      log([
        connect('k', 10, { sourceIp: 'A' }),
        connect('k', 11, { sourceIp: 'B' }),
        disconnect('k', 11.001, 'DUPLICATE_CLIENTID', { sourceIp: 'A' }),
        disconnect('k', 12, 'DUPLICATE_CLIENTID', { sourceIp: 'B' }),
        connect('k', 12.001, { sourceIp: 'A' }),
        connect('k', 13, { sourceIp: 'B' }),
        disconnect('k', 13.001, 'DUPLICATE_CLIENTID', { sourceIp: 'A' }),
      ])
    );
    expect(pairs(frame)).toEqual([
      ['k', 10, 11.001, 'takenOver'],
      ['k', 11, 12, 'takeover', 'takenOver'],
      ['k', 12.001, 13.001, 'takeover', 'takenOver'],
      ['k', 13, null, 'open', 'takeover'],
    ]);
    expect(rows(frame).map((r) => r.sourceIp)).toEqual(['A', 'B', 'A', 'B']);
  });

  it('pairs several clients interleaved, sorted by start then clientId', () => {
    const frame = run(
      log([
        disconnect('z', 1),
        disconnect('y', 2),
        connect('b', 10),
        connect('a', 10),
        connect('c', 15),
        disconnect('a', 20),
        connect('a', 25),
        disconnect('b', 30),
        disconnect('c', 40, 'MQTT_KEEP_ALIVE_TIMEOUT'),
        disconnect('a', 45),
      ])
    );
    expect(pairs(frame)).toEqual([
      ['y', null, 2, 'startedBeforeData'],
      ['z', null, 1, 'startedBeforeData'],
      ['a', 10, 20],
      ['b', 10, 30],
      ['c', 15, 40],
      ['a', 25, 45],
    ]);
    expect(rows(frame).map((r) => r.duration)).toEqual([null, null, 10 * S, 20 * S, 25 * S, 20 * S]);
  });

  it('orders entries of one millisecond as they were written', () => {
    // A reconnect: the Disconnect of the old connection, then the new Connect, at the same time.
    const frame = run(log([connect('r', 10), disconnect('r', 50), connect('r', 50)]));
    expect(pairs(frame)).toEqual([
      ['r', 10, 50],
      ['r', 50, null, 'open'],
    ]);
  });

  it('reads only the selected rows, and ignores other eventTypes', () => {
    const [c, d] = log([connect('a', 10), connect('b', 11), disconnect('a', 20), disconnect('b', 21)]);
    const publish = tableOf('Publish-In', [{ timestamp: at(15), clientId: 'a' }]);
    const frame = run([{ ...c, rows: Int32Array.of(0) }, { ...d, rows: Int32Array.of(0) }, { table: publish }]);
    expect(pairs(frame)).toEqual([['a', 10, 20]]);
  });

  it('says when no selected entry is a Connect or Disconnect', () => {
    const frame = run([{ table: tableOf('Publish-In', [{ timestamp: at(15), clientId: 'a' }]) }]);
    expect(frame.length).toBe(0);
    expect(frame.meta?.notices?.[0].text).toMatch(/built from Connect and Disconnect entries/);
    expect(run([]).meta?.notices).toBeUndefined();
  });

  it('leaves out entries without a clientId, with a notice', () => {
    const frame = run(
      log([connect('a', 10), { type: 'Connect', timestamp: at(11), status: 'Success' }, disconnect('a', 20)])
    );
    expect(pairs(frame)).toEqual([['a', 10, 20]]);
    expect(frame.meta?.notices).toEqual([
      {
        severity: 'info',
        text: '1 Connect or Disconnect entry without a clientId could not be paired into sessions and is left out.',
      },
    ]);
  });
});
