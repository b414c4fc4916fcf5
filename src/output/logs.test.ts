import { LogLevel } from '@grafana/data';
import fc from 'fast-check';

import { tableOf } from '../parsing/testTables';
import { LOG_LEVELS } from '../types';
import { DEFAULT_LOG_LINES, logsOutput, newestRows } from './logs';
import { rowAt, selectionLength, type Selection } from './types';

const connect = (t: number, clientId = 'c') => ({ timestamp: t, clientId, status: 'Success', logLevel: 'INFO' });

describe('logs output line limit', () => {
  it('returns every line up to the limit, and the newest lines with a notice beyond it', () => {
    const a = tableOf('Connect', [connect(1), connect(5), connect(9)]);
    const b = tableOf('Disconnect', [connect(2), connect(6), connect(10)]);
    const all = logsOutput([{ table: a }, { table: b }], { refId: 'A', output: 'logs' }, { from: 0, to: 20 });
    expect(all.map((f) => f.length)).toEqual([3, 3]);
    expect(all[0].meta?.notices).toBeUndefined();

    const newest = logsOutput(
      [{ table: a }, { table: b }],
      { refId: 'A', output: 'logs', limit: 3 },
      { from: 0, to: 20 }
    );
    expect(newest.map((f) => [f.name, f.fields[0].values])).toEqual([
      ['Connect', [9]],
      ['Disconnect', [6, 10]],
    ]);
    expect(newest[0].meta?.notices).toEqual([
      { severity: 'info', text: expect.stringMatching(/^Showing the newest 3 of 6 entries/) },
    ]);
    expect(DEFAULT_LOG_LINES).toBe(10_000);
  });

  it('keeps the newest rows, a suffix of each table, exactly `limit` of them (property)', () => {
    const times = fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 40 });
    fc.assert(
      fc.property(
        fc.array(times, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 60 }),
        fc.boolean(),
        (lists, limit, filtered) => {
          const selections: Selection[] = lists
            .filter((l) => l.length > 0)
            .map((l, i) => {
              const table = tableOf(
                `Type${i}`,
                l.map((t) => connect(t))
              );
              if (!filtered) {
                return { table };
              }
              const rows = Int32Array.from({ length: table.length }, (_, r) => r).filter((r) => r % 2 === 0);
              return { table, rows };
            });
          const total = selections.reduce((n, s) => n + selectionLength(s), 0);
          const kept = newestRows(selections, limit);
          const keptTimes: number[] = [];
          const droppedTimes: number[] = [];
          for (const s of selections) {
            const k = kept.find((x) => x.table === s.table);
            const n = selectionLength(s);
            const m = k ? selectionLength(k) : 0;
            for (let i = 0; i < n; i++) {
              const time = s.table.time[rowAt(s, i)];
              if (i >= n - m) {
                // A suffix of the selection's rows.
                expect(rowAt(k!, i - (n - m))).toBe(rowAt(s, i));
                keptTimes.push(time);
              } else {
                droppedTimes.push(time);
              }
            }
          }
          expect(keptTimes.length).toBe(Math.min(total, limit));
          if (keptTimes.length > 0 && droppedTimes.length > 0) {
            expect(Math.min(...keptTimes)).toBeGreaterThanOrEqual(Math.max(...droppedTimes));
          }
        }
      ),
      { numRuns: 300 }
    );
  });
});

describe('logs levels', () => {
  it('gives Explore a severity field whose values are Grafana log levels (ERROR, WARN, INFO, DEBUG)', () => {
    const rows = LOG_LEVELS.map((logLevel, i) => ({ timestamp: i, clientId: 'c', logLevel }));
    const [frame] = logsOutput(
      [{ table: tableOf('Connect', rows) }],
      { refId: 'A', output: 'logs' },
      { from: 0, to: 9 }
    );
    // Grafana's logs model reads the level from the dataplane frame's `severity` field, by its lower case.
    expect(frame.meta?.type).toBe('log-lines');
    const severity = frame.fields.find((f) => f.name === 'severity')!;
    const levels = severity.values.map((v) => LogLevel[String(v).toLowerCase() as keyof typeof LogLevel]);
    expect(levels).toEqual([LogLevel.error, LogLevel.warning, LogLevel.info, LogLevel.debug]);
  });

  it('leaves the severity empty (unknown level) for entries without a logLevel', () => {
    const [frame] = logsOutput(
      [{ table: tableOf('Connect', [{ timestamp: 1, clientId: 'c' }]) }],
      { refId: 'A', output: 'logs' },
      { from: 0, to: 9 }
    );
    expect(frame.fields.find((f) => f.name === 'severity')!.values).toEqual([null]);
  });
});
