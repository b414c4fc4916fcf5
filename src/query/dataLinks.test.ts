import {
  getFieldDisplayValuesProxy,
  mapInternalLinkToExplore,
  type DataFrame,
  type DataLink,
  type DataQueryRequest,
  type Field,
  type InterpolateFunction,
  type ScopedVars,
} from '@grafana/data';
import type { BackendSrv } from '@grafana/runtime';
import { readFileSync } from 'fs';
import { join } from 'path';
import { lastValueFrom, of } from 'rxjs';

import { DataSource } from '../datasource';
import { fleetText } from '../fleet/generate';
import { generateScenario } from '../fleet/scenarios';
import { migrateQuery } from '../migrations/migrateQuery';
import { awsReferenceExamples } from '../parsing/testutils';
import { SessionStore } from '../sources/sessionStore';
import { NO_BACKEND, NO_VARIABLES, TEST_SETTINGS, testRequest } from '../testDataSource';
import { getDefaultQuery, type IotLogsQuery, type QuerySource } from '../types';
import { EVIDENCE_LINK, LINK_FIELDS, LINK_SOURCE_MAX_CHARS, linkSource, withDataLinks } from './dataLinks';
import { bytesToBase64 } from './uploads';

const settings = { ...TEST_SETTINGS, uid: 'iot-uid', url: '/api/datasources/proxy/uid/iot-uid' };
const templateSrv = NO_VARIABLES;
const backendSrv = NO_BACKEND;

const content = awsReferenceExamples()
  .map((e) => e.text)
  .join('\n');

function request(target: Partial<IotLogsQuery>): DataQueryRequest<IotLogsQuery> {
  return testRequest([{ ...getDefaultQuery(), refId: 'A', ...target }], { app: 'explore', requestId: 'links' });
}

async function run(ds: DataSource, target: Partial<IotLogsQuery>): Promise<DataFrame[]> {
  const response = await lastValueFrom(ds.query(request(target)));
  expect(response.errors).toBeUndefined();
  return response.data as DataFrame[];
}

/** Grafana's `${__value.raw}` for a clicked value, as its data link interpolation does. */
const replaceVariables: InterpolateFunction = (text, scopedVars?: ScopedVars) =>
  text.replace(/\$\{__value\.raw\}/g, () => String((scopedVars?.__value?.value as { raw: unknown }).raw));

function follow(field: Field, value: string) {
  const link = field.config.links![0] as DataLink<IotLogsQuery>;
  return mapInternalLinkToExplore({
    link,
    internalLink: link.internal!,
    scopedVars: { __value: { value: { raw: value }, text: 'Raw value' } },
    field,
    replaceVariables,
  });
}

function fieldNamed(frames: DataFrame[], name: string): Field {
  const field = frames.flatMap((f) => f.fields).find((f) => f.name === name);
  expect(field).toBeDefined();
  return field!;
}

describe('data links', () => {
  it('put a link on traceId, clientId, thingName, jobId and ruleName in logs frames', async () => {
    const ds = new DataSource(settings, templateSrv, backendSrv);
    const frames = await run(ds, { source: { type: 'inline', content } });
    for (const name of Object.keys(LINK_FIELDS)) {
      const field = fieldNamed(frames, name);
      expect(field.config.links).toHaveLength(1);
      expect(field.config.links![0]).toMatchObject({
        title: LINK_FIELDS[name],
        internal: { datasourceUid: 'iot-uid' },
      });
    }
    // Other fields have none.
    expect(fieldNamed(frames, 'principalId').config.links).toBeUndefined();
  });

  it('open the entries with that value from the same source, the value encoded in the URL', async () => {
    const ds = new DataSource(settings, templateSrv, backendSrv);
    const connect = JSON.stringify({
      timestamp: '2026-11-30 10:00:00.000',
      logLevel: 'INFO',
      traceId: 't-1',
      accountId: '123456789012',
      status: 'Success',
      eventType: 'Connect',
      protocol: 'MQTT',
      clientId: 'sensor-1',
      principalId: 'p',
      sourceIp: '203.0.113.7',
      sourcePort: 5000,
    });
    const source: QuerySource = { type: 'inline', content: connect };
    const frames = await run(ds, { source, eventTypes: ['Connect'], ignoreTimeRange: true });
    const value = 'sensor "7" & co/#1?';
    const model = follow(fieldNamed(frames, 'clientId'), value);
    const query = model.interpolatedParams!.query as IotLogsQuery;
    expect(query).toMatchObject({
      source,
      ignoreTimeRange: true,
      eventTypes: [],
      output: 'logs',
      fieldFilters: [{ field: 'clientId', op: '=', value }],
      datasource: { uid: 'iot-uid', type: 'seed-awsiotlogs-datasource' },
    });
    expect(model.href.startsWith('/explore?left=')).toBe(true);
    const left = JSON.parse(decodeURIComponent(model.href.slice('/explore?left='.length)));
    expect(left.queries[0].fieldFilters).toEqual([{ field: 'clientId', op: '=', value }]);
    // Encoded: no quote, space, & or # of the value left raw in the URL.
    expect(model.href.slice('/explore?left='.length)).not.toMatch(/[" &#?/]/);
  });

  it('the linked query returns exactly the entries with that value', async () => {
    const ds = new DataSource(settings, templateSrv, backendSrv);
    const frames = await run(ds, { source: { type: 'inline', content } });
    const traceIds = fieldNamed(frames, 'traceId').values.filter((v): v is string => typeof v === 'string');
    const traceId = traceIds[0];
    const query = follow(fieldNamed(frames, 'traceId'), traceId).interpolatedParams!.query as IotLogsQuery;
    const linked = await run(ds, query);
    const expected = frames.reduce(
      (n, f) => n + (f.fields.find((x) => x.name === 'traceId')?.values.filter((v) => v === traceId).length ?? 0),
      0
    );
    expect(expected).toBeGreaterThan(0);
    expect(linked.reduce((n, f) => n + f.length, 0)).toBe(expected);
  });

  it('put links on the other outputs too (counts by clientId, sessions)', async () => {
    const ds = new DataSource(settings, templateSrv, backendSrv);
    const counts = await run(ds, { source: { type: 'inline', content }, output: 'counts', groupBy: ['clientId'] });
    expect(fieldNamed(counts, 'clientId').config.links).toHaveLength(1);
    const sessions = await run(ds, { source: { type: 'inline', content }, output: 'sessions' });
    expect(fieldNamed(sessions, 'clientId').config.links).toHaveLength(1);
  });

  it('do not change frames shared between runs', async () => {
    const ds = new DataSource(settings, templateSrv, backendSrv);
    const first = await run(ds, { source: { type: 'inline', content } });
    const second = await run(ds, { source: { type: 'inline', content } });
    expect(fieldNamed(second, 'clientId').config.links).toHaveLength(1);
    expect(fieldNamed(first, 'clientId').config.links).toHaveLength(1);
  });

  it('carry a large pasted text as a reference to this session, which loads the same entries', async () => {
    const ds = new DataSource(settings, templateSrv, backendSrv);
    const big = Array.from({ length: 40 }, () => content).join('\n');
    expect(big.length).toBeGreaterThan(LINK_SOURCE_MAX_CHARS);
    const frames = await run(ds, { source: { type: 'inline', content: big } });
    const field = fieldNamed(frames, 'clientId');
    const clientId = field.values.find((v): v is string => typeof v === 'string')!;
    const model = follow(field, clientId);
    expect(model.href.length).toBeLessThan(2000);
    const query = model.interpolatedParams!.query as IotLogsQuery;
    expect(query.source).toEqual({ type: 'inline', content: '', sessionKey: expect.any(String), size: big.length });
    const linked = await run(ds, query);
    expect(linked.reduce((n, f) => n + f.length, 0)).toBe(
      frames.reduce(
        (n, f) => n + (f.fields.find((x) => x.name === 'clientId')?.values.filter((v) => v === clientId).length ?? 0),
        0
      )
    );
  });

  it('carry pasted text holding `$` (AWS topics) as a reference: Explore drops links naming unknown variables', async () => {
    const ds = new DataSource(settings, templateSrv, backendSrv);
    const shadow = JSON.stringify({
      timestamp: '2026-11-30 10:00:00.000',
      logLevel: 'INFO',
      traceId: 't-2',
      accountId: '123456789012',
      status: 'Success',
      eventType: 'UpdateThingShadow',
      protocol: 'MQTT',
      deviceShadowName: 'pump-1',
      topicName: '$aws/things/pump-1/shadow/update',
    });
    const frames = await run(ds, { source: { type: 'inline', content: shadow } });
    const query = follow(fieldNamed(frames, 'traceId'), 't-2').interpolatedParams!.query as IotLogsQuery;
    expect(query.source).toEqual({ type: 'inline', content: '', sessionKey: expect.any(String), size: shadow.length });
    // The only variable the link names is the clicked value's.
    const link = fieldNamed(frames, 'traceId').config.links![0] as DataLink<IotLogsQuery>;
    expect(JSON.stringify(link.internal!.query).match(/\$\{?\w+|\[\[/g)).toEqual(['${__value']);
    expect((await run(ds, query)).reduce((n, f) => n + f.length, 0)).toBe(1);
  });

  it('carry a URL path with its variables replaced as the run read them', async () => {
    const withDay = { replace: (text: string) => text.replace('$day', '2026-11-30') } as unknown as typeof templateSrv;
    const entry = JSON.stringify({ timestamp: '2026-11-30 10:00:00.000', eventType: 'Connect', clientId: 'a' });
    const fetched: string[] = [];
    const backend = {
      fetch: (req: { url: string }) => {
        fetched.push(req.url);
        return of({ data: new TextEncoder().encode(entry).buffer, status: 200 });
      },
    } as unknown as typeof backendSrv;
    const ds = new DataSource({ ...settings, jsonData: { baseUrl: 'https://logs.example.com/' } }, withDay, backend);
    const frames = await run(ds, { source: { type: 'url', path: 'logs/$day.json' }, ignoreTimeRange: true });
    expect(fetched).toEqual([`${settings.url}/url-source/logs/2026-11-30.json`]);
    const query = follow(fieldNamed(frames, 'clientId'), 'a').interpolatedParams!.query as IotLogsQuery;
    expect(query.source).toEqual({ type: 'url', path: 'logs/2026-11-30.json' });
  });

  it('keep a large source once for the session, whatever the re-runs', () => {
    const sessions = new SessionStore();
    const put = jest.spyOn(sessions, 'put');
    const source: QuerySource = { type: 'inline', content: 'x'.repeat(LINK_SOURCE_MAX_CHARS + 1) };
    const a = linkSource(source, sessions);
    const b = linkSource({ ...source }, sessions);
    expect(a).toEqual(b);
    expect(put).toHaveBeenCalledTimes(1);
  });

  it('carry a large stored upload as this session’s bytes', async () => {
    const { gzipSync } = await import('zlib');
    const sessions = new SessionStore();
    const noise = Array.from({ length: 4000 }, (_, i) => `${i * 7919}`).join(',');
    const data = bytesToBase64(gzipSync(Buffer.from(noise)));
    expect(data.length).toBeGreaterThan(LINK_SOURCE_MAX_CHARS);
    const linked = linkSource({ type: 'upload', fileName: 'day.json', size: noise.length, data }, sessions);
    expect(linked).toEqual({
      type: 'upload',
      fileName: 'day.json',
      size: noise.length,
      sessionKey: expect.any(String),
    });
    const kept = sessions.get((linked as { sessionKey: string }).sessionKey) as Uint8Array;
    expect(Buffer.from(kept).toString()).toBe(noise);
  });

  it('leave small sources and the URL and sample sources as they are', () => {
    const sessions = new SessionStore();
    for (const source of [
      { type: 'inline', content: 'small' },
      { type: 'url', path: 'day/${day}.json' },
      { type: 'sample' },
    ] as QuerySource[]) {
      expect(linkSource(source, sessions)).toBe(source);
    }
  });

  it('leave frames without those fields untouched', () => {
    const frame: DataFrame = {
      fields: [{ name: 'count', type: 'number' as Field['type'], config: {}, values: [1] }],
      length: 1,
    };
    const sessions = new SessionStore();
    expect(
      withDataLinks([frame], { ...getDefaultQuery(), refId: 'A' }, { uid: 'u', name: 'n', type: 't', sessions })[0]
    ).toBe(frame);
  });

  describe("a finding's evidence", () => {
    /** Grafana's `${__data.fields.<name>}` of the clicked row, as its template service reads it. */
    const replaceData: InterpolateFunction = (text, scopedVars?: ScopedVars) =>
      text.replace(/\$\{__data\.fields\.(\w+)\}/g, (_, name: string) => {
        const { frame, rowIndex } = scopedVars!.__dataContext!.value as { frame: DataFrame; rowIndex: number };
        return String(getFieldDisplayValuesProxy({ frame, rowIndex })[name]);
      });

    function followEvidence(frame: DataFrame, rowIndex: number): IotLogsQuery {
      const field = fieldNamed([frame], EVIDENCE_LINK.field);
      expect(field.config.links).toHaveLength(1);
      const link = field.config.links![0] as DataLink<IotLogsQuery>;
      expect(link.title).toBe(EVIDENCE_LINK.title);
      const model = mapInternalLinkToExplore({
        link,
        internalLink: link.internal!,
        scopedVars: { __dataContext: { value: { data: [frame], frame, field, rowIndex } } },
        field,
        replaceVariables: replaceData,
      });
      return model.interpolatedParams!.query as IotLogsQuery;
    }

    const traceIdsOf = (frames: DataFrame[]) =>
      new Set(frames.flatMap((f) => f.fields.filter((x) => x.name === 'traceId').flatMap((x) => x.values)));

    it('opens the entries each finding rests on: its eventTypes, subject and time', async () => {
      const ds = new DataSource(settings, templateSrv, backendSrv);
      const source: QuerySource = { type: 'inline', content: fleetText(generateScenario('mixed')) };
      const [frame] = await run(ds, { source, ignoreTimeRange: true, output: 'findings' });
      expect(frame.length).toBeGreaterThanOrEqual(8);
      const hidden = fieldNamed([frame], 'evidenceFilter');
      expect(hidden.config.custom).toEqual({ hidden: true });
      for (let row = 0; row < frame.length; row++) {
        const linked = followEvidence(frame, row);
        expect(linked.output).toBe('logs');
        const query = migrateQuery(linked);
        expect(query.linkFilters).toBeUndefined();
        const evidence = JSON.parse(hidden.values[row]);
        expect(query.eventTypes).toEqual(evidence.eventTypes);
        expect(query.fieldFilters).toEqual([
          ...evidence.fieldFilters,
          { field: 'timestamp', op: '>=', value: evidence.from },
          { field: 'timestamp', op: '<=', value: evidence.to },
        ]);
        const entries = await run(ds, linked);
        const count = entries.reduce((n, f) => n + f.length, 0);
        const label = `${frame.fields[1].values[row]} ${frame.fields[3].values[row]}`;
        // at least the entries the finding counts, and every traceId it lists (silentDevice counts entries before)
        if (frame.fields[1].values[row] !== 'silentDevice') {
          expect([label, count >= frame.fields[6].values[row]]).toEqual([label, true]);
        }
        const traceIds = traceIdsOf(entries);
        const listed = String(fieldNamed([frame], 'traceIds').values[row])
          .split(', ')
          .filter(Boolean);
        expect([label, listed.filter((t) => !traceIds.has(t))]).toEqual([label, []]);
        // and only inside the finding's window
        const times = entries.flatMap((f) => f.fields.find((x) => x.type === 'time')?.values ?? []);
        expect(times).toHaveLength(count);
        expect(Math.min(...times)).toBeGreaterThanOrEqual(Date.parse(evidence.from));
        expect(Math.max(...times)).toBeLessThanOrEqual(Date.parse(evidence.to));
      }
    });

    it('on the sample, which moves with the time range, opens them over the whole range', async () => {
      const sample = readFileSync(join(__dirname, '..', 'sample', 'fleet-day.json'), 'utf8');
      const backend = { fetch: () => of({ data: sample, status: 200 }) } as unknown as BackendSrv;
      const ds = new DataSource(settings, templateSrv, backend);
      const [frame] = await run(ds, { source: { type: 'sample' }, output: 'findings' });
      expect(frame.length).toBeGreaterThan(0);
      const query = migrateQuery(followEvidence(frame, 0));
      expect(query.fieldFilters.some((f) => f.field === 'timestamp')).toBe(false);
      expect(query.eventTypes.length).toBeGreaterThan(0);
    });

    it('a link filter that is not JSON is an error of the query, not a query of everything', async () => {
      const ds = new DataSource(settings, templateSrv, backendSrv);
      const response = await lastValueFrom(
        ds.query(request({ source: { type: 'inline', content }, linkFilters: '{"eventTypes": [' }))
      );
      expect(response.errors?.[0].message).toMatch(/linkFilters are not JSON/);
      expect(response.data.every((f: DataFrame) => f.length === 0)).toBe(true);
    });
  });
});
