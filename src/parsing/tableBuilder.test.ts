import fc from 'fast-check';

import { makeRng } from '../fleet/random';
import { TableBuilder } from './tableBuilder';

const TYPES = ['Connect', 'Disconnect', 'Publish-In', 'RuleExecution', 'MadeUp'];

interface Plan {
  seed: number;
  rows: number;
  /** Rows from which new event types, new keys and clashing keys appear (after the builder presized). */
  lateFrom: number;
}

/** Entries of a few event types, sparse and mixed values, with newcomers late in the input. */
function entriesOf(plan: Plan): Array<{ entry: Record<string, unknown>; eventType: string; body: string }> {
  const rng = makeRng(plan.seed, 'table builder');
  const next = () => rng.next();
  const out = [];
  for (let i = 0; i < plan.rows; i++) {
    const late = i >= plan.lateFrom;
    const types = late ? TYPES.length : TYPES.length - 1;
    const eventType = TYPES[Math.floor(next() * types)];
    const entry: Record<string, unknown> = { timestamp: '2024-01-01 00:00:00.000', eventType, logLevel: 'INFO' };
    if (next() < 0.9) {
      entry.clientId = `device-${Math.floor(next() * 50)}`;
    }
    if (next() < 0.3) {
      entry.topicName = `$aws/things/thing-${Math.floor(next() * 20)}/shadow/update`;
    }
    if (next() < 0.5) {
      entry.value = next() < 0.8 ? Math.floor(next() * 1000) : `text ${i}`;
    }
    if (next() < 0.05) {
      entry.nested = { deep: { er: next() < 0.5 ? true : null } };
    }
    if (late && next() < 0.2) {
      entry.lateKey = `late value number ${i}`;
    }
    if (late && next() < 0.1) {
      // Two values for one column: the later one gets `a.b_2`.
      entry['a.b'] = 1;
      entry.a = { b: 2 };
    }
    if (next() < 0.02) {
      entry.body = 'an attribute named like the logs field';
    }
    const body = JSON.stringify(entry);
    out.push({ entry, eventType, body });
  }
  return out;
}

function build(entries: ReturnType<typeof entriesOf>, expected: number | undefined) {
  const builder = new TableBuilder(() => expected);
  entries.forEach(({ entry, eventType, body }, i) => builder.add(entry, eventType, 1000 - (i % 7), body, i));
  return { tables: builder.build(), notes: builder.notes() };
}

describe('TableBuilder', () => {
  it('builds the same tables whether its arrays are sized ahead or grow, whatever the estimate', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer(),
          rows: fc.integer({ min: 6000, max: 9000 }),
          lateFrom: fc.integer({ min: 4000, max: 8000 }),
        }),
        fc.constantFrom(0.2, 0.9, 1, 1.5, 4),
        (plan, factor) => {
          const entries = entriesOf(plan);
          const grown = build(entries, undefined);
          const sized = build(entries, Math.round(plan.rows * factor));
          expect(sized).toEqual(grown);
          // Every row is in its table, and each array is as long as its table.
          expect(sized.tables.reduce((n, t) => n + t.length, 0)).toBe(plan.rows);
          for (const table of sized.tables) {
            for (const values of [table.time, table.body, table.record, ...table.columns.map((c) => c.values)]) {
              expect(values).toHaveLength(table.length);
            }
          }
        }
      ),
      { numRuns: 12 }
    );
  });

  it('sizes its arrays from the first entries when it knows how many to expect', () => {
    const entries = entriesOf({ seed: 1, rows: 6000, lateFrom: 6000 });
    const builder = new TableBuilder(() => 6000);
    const connects: number[] = [];
    entries.forEach(({ entry, eventType, body }, i) => {
      builder.add(entry, eventType, i, body, i);
      if (i === 4095) {
        // Internals looked at on purpose: presizing is invisible in the tables, so this is where it shows.
        const group = (builder as unknown as { groups: Map<string, { capacity: number; length: number }> }).groups.get(
          'Connect'
        )!;
        connects.push(group.length, group.capacity);
      }
    });
    const [length, capacity] = connects;
    // About 6000/4096 of the rows so far, with a margin.
    expect(capacity).toBeGreaterThan(length * 1.3);
    expect(capacity).toBeLessThan(length * 1.8);
    const table = builder.build().find((t) => t.eventType === 'Connect')!;
    expect(table.columns.every((c) => c.values.length === table.length)).toBe(true);
  });
});
