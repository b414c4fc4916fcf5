/**
 * The sharing rule of src/parsing/table.ts, checked: tables are frozen, and no output mode, filter or
 * logs frame writes into a table's arrays (they are frozen here, so a write throws in strict mode).
 */
import { parseTables, type EventTable } from '../parsing';
import { awsReferenceExamples } from '../parsing/testutils';
import { NO_FILTER, selectRows, type RowFilter } from '../query/filter';
import { OUTPUT_MODES } from '../types';
import { OUTPUTS } from './index';

function freezeArrays(tables: EventTable[]): void {
  for (const table of tables) {
    for (const array of [table.time, table.body, table.record, ...table.columns.map((c) => c.values)]) {
      Object.freeze(array);
    }
  }
}

const noFilter = NO_FILTER;

describe('the sharing rule', () => {
  const examples = awsReferenceExamples();
  const text = [...examples, ...examples.slice().reverse()].map((e) => JSON.stringify(e.json)).join('\n');
  const { tables } = parseTables(text);
  const snapshot = JSON.stringify(tables);
  freezeArrays(tables);

  it('gives frozen tables and columns', () => {
    for (const table of tables) {
      expect(Object.isFrozen(table)).toBe(true);
      expect(Object.isFrozen(table.columns)).toBe(true);
      expect(table.columns.every((c) => Object.isFrozen(c))).toBe(true);
    }
  });

  it('is kept by every output mode, filtered or not', () => {
    const range = { from: 0, to: Date.UTC(2030, 0, 1), intervalMs: 3_600_000, maxDataPoints: 500 };
    const filters: RowFilter[] = [
      noFilter,
      { ...noFilter, statuses: ['Success'] },
      { ...noFilter, fieldFilters: [{ field: 'clientId', op: 'exists', values: [] }] },
    ];
    for (const filter of filters) {
      const { selections } = selectRows(tables, filter);
      for (const output of OUTPUT_MODES) {
        for (const options of [{}, { groupBy: ['status'] }, { combineTables: true }]) {
          const frames = OUTPUTS[output](selections, { refId: 'A', output, ...options }, range);
          expect(Array.isArray(frames)).toBe(true);
        }
      }
    }
    expect(JSON.stringify(tables)).toBe(snapshot);
  });

  it('lets the logs output share arrays with the table when every row is kept', () => {
    const [frame] = OUTPUTS.logs([{ table: tables[0] }], { refId: 'A', output: 'logs' }, { from: 0, to: 1 });
    const logLevel = tables[0].columns.find((c) => c.name === 'logLevel')!;
    expect(frame.fields.find((f) => f.name === 'severity')!.values).toBe(logLevel.values);
    expect(frame.fields.find((f) => f.name === 'logLevel')!.values).toBe(logLevel.values);
  });
});
