import { lastValueFrom, of } from 'rxjs';
import { readFileSync } from 'fs';
import { join } from 'path';

import { DataSource } from '../datasource';
import { migrateQuery } from '../migrations/migrateQuery';
import { NO_VARIABLES, TEST_SETTINGS, testRequest } from '../testDataSource';
import { getDefaultQuery, type IotLogsQuery } from '../types';
import { resolveDefaultSource } from './default';
import { loadSource, SourceError } from '.';

const SAMPLE = readFileSync(join(__dirname, '..', 'sample', 'fleet-day.json'), 'utf8');
const backend = { fetch: () => of({ data: SAMPLE, status: 200 }) } as never;
const query = (partial: Partial<IotLogsQuery> = {}): IotLogsQuery => ({
  ...getDefaultQuery(),
  refId: 'A',
  source: { type: 'default' },
  ignoreTimeRange: false,
  ...partial,
});

describe('the default source', () => {
  it('means CloudWatch on a data source that chose a CloudWatch data source, else the sample', () => {
    expect(resolveDefaultSource(query(), true).source).toEqual({ type: 'cloudwatch' });
    expect(resolveDefaultSource(query(), false).source).toEqual({ type: 'sample' });
    const inline = query({ source: { type: 'inline', content: 'x' } });
    expect(resolveDefaultSource(inline, true)).toBe(inline);
  });

  it('survives the migration as it is, and applies the time range like the sample', () => {
    const migrated = migrateQuery({ refId: 'A', schemaVersion: 3, source: { type: 'default' } });
    expect(migrated.source).toEqual({ type: 'default' });
    expect(migrated.ignoreTimeRange).toBe(false);
  });

  it('is never loaded as such (the data source resolves it first)', async () => {
    await expect(loadSource({ type: 'default' }, {} as never)).rejects.toBeInstanceOf(SourceError);
  });

  it('reads the sample through a data source without CloudWatch, as a sample query does', async () => {
    const ds = new DataSource(TEST_SETTINGS, NO_VARIABLES, backend);
    const range = { from: Date.UTC(2026, 11, 1, 12), to: Date.UTC(2026, 11, 2, 12) };
    const run = (q: IotLogsQuery) =>
      lastValueFrom(ds.query(testRequest([q], { range }))).then((r) =>
        r.data.map((f) => [f.name, f.fields[0].values.length])
      );
    const viaDefault = await run(query({ output: 'counts', groupBy: ['eventType'] }));
    expect(viaDefault.length).toBeGreaterThan(0);
    expect(viaDefault).toEqual(
      await run(query({ source: { type: 'sample' }, output: 'counts', groupBy: ['eventType'] }))
    );
    expect(ds.applyTemplateVariables(query(), {}).source).toEqual({ type: 'sample' });
    expect((await ds.parse({ source: { type: 'default' }, format: 'auto' })).tables.length).toBeGreaterThan(0);
  });

  it('runs as a CloudWatch query on a data source that chose one', () => {
    const ds = new DataSource({ ...TEST_SETTINGS, jsonData: { cloudWatchUid: 'cw' } }, NO_VARIABLES, backend);
    expect(ds.applyTemplateVariables(query(), {}).source).toEqual({ type: 'cloudwatch' });
  });
});
