import type { ToggleFilterAction } from '@grafana/data';

import { queryHasFilter, toggleQueryFilter } from './queryFilters';
import { getDefaultQuery, type IotLogsQuery } from './types';

const query: IotLogsQuery = {
  refId: 'A',
  ...getDefaultQuery(),
  fieldFilters: [{ field: 'status', op: '=', value: 'Failure' }],
};
const action = (type: ToggleFilterAction['type'], key: string, value: string): ToggleFilterAction => ({
  type,
  options: { key, value },
});

describe('filter for / filter out from log details', () => {
  it('adds a filter that queryHasFilter finds, and the same toggle removes it', () => {
    const added = toggleQueryFilter(query, action('FILTER_FOR', 'clientId', 'sensor-1'));
    expect(added.fieldFilters).toEqual([
      { field: 'status', op: '=', value: 'Failure' },
      { field: 'clientId', op: '=', value: 'sensor-1' },
    ]);
    expect(queryHasFilter(added, { key: 'clientId', value: 'sensor-1' })).toBe(true);
    const removed = toggleQueryFilter(added, action('FILTER_FOR', 'clientId', 'sensor-1'));
    expect(removed.fieldFilters).toEqual(query.fieldFilters);
    expect(queryHasFilter(removed, { key: 'clientId', value: 'sensor-1' })).toBe(false);
  });

  it('replaces the opposite filter, and filters out with !=', () => {
    const out = toggleQueryFilter(query, action('FILTER_OUT', 'status', 'Failure'));
    expect(out.fieldFilters).toEqual([{ field: 'status', op: '!=', value: 'Failure' }]);
    expect(queryHasFilter(out, { key: 'status', value: 'Failure' })).toBe(false);
    const back = toggleQueryFilter(out, action('FILTER_FOR', 'status', 'Failure'));
    expect(back.fieldFilters).toEqual([{ field: 'status', op: '=', value: 'Failure' }]);
  });

  it("filters the log level's column for the logs frame's severity, and never changes its input", () => {
    const frozen = Object.freeze({ ...query, fieldFilters: Object.freeze([...query.fieldFilters]) }) as IotLogsQuery;
    const level = toggleQueryFilter(frozen, action('FILTER_FOR', 'severity', 'ERROR'));
    expect(level.fieldFilters).toContainEqual({ field: 'logLevel', op: '=', value: 'ERROR' });
    expect(queryHasFilter(level, { key: 'severity', value: 'ERROR' })).toBe(true);
    expect(frozen.fieldFilters).toHaveLength(1);
  });

  it('reads a stored query of an older version', () => {
    const old = { refId: 'A', content: 'x' } as unknown as IotLogsQuery;
    expect(toggleQueryFilter(old, action('FILTER_FOR', 'eventType', 'Connect'))).toMatchObject({
      schemaVersion: 3,
      fieldFilters: [{ field: 'eventType', op: '=', value: 'Connect' }],
    });
  });
});
