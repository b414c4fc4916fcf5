import {
  AnnotationEventFieldSource,
  dateTime,
  type AnnotationEvent,
  type AnnotationQuery,
  type AnnotationSupport,
  type DataQueryRequest,
  type DataSourceInstanceSettings,
} from '@grafana/data';
import type { BackendSrv, TemplateSrv } from '@grafana/runtime';
import { readFileSync } from 'fs';
import { join } from 'path';
import { lastValueFrom } from 'rxjs';

import { DataSource } from '../datasource';
import { getDefaultQuery, type IotLogsOptions, type IotLogsQuery } from '../types';
import { ANNOTATION_LIMIT, LIMIT_TAG } from './annotations';
import { iotLogsAnnotationSupport } from './annotationSupport';

/** The bundled sample: a day of a small fleet (10,976 entries), pasted as it is. */
const sample = readFileSync(join(__dirname, '..', 'sample', 'fleet-day.json'), 'utf8');
const sampleEntries = JSON.parse(sample) as Array<Record<string, unknown>>;
const utc = (timestamp: unknown) => Date.parse(`${String(timestamp).replace(' ', 'T')}Z`);

const settings = {
  uid: 'iot',
  type: 'seed-awsiotlogs-datasource',
  name: 'AWS IoT Logs',
  jsonData: {},
} as DataSourceInstanceSettings<IotLogsOptions>;
const templateSrv = { replace: (text: string) => text } as TemplateSrv;
const ds = new DataSource(settings, templateSrv, {} as BackendSrv);
const support: AnnotationSupport<IotLogsQuery> = iotLogsAnnotationSupport(ds);

/**
 * Runs an annotation as Grafana's annotation runner does: the support's defaults spread over the stored
 * annotation, prepareAnnotation, prepareQuery, the data source's query() with refId Anno over the
 * dashboard's range, then processEvents with the frames.
 */
async function annotate(
  annotation: Record<string, unknown>,
  range = { from: Date.UTC(2024, 2, 4), to: Date.UTC(2024, 2, 5) }
): Promise<AnnotationEvent[]> {
  const prepared = support.prepareAnnotation!({ ...support.getDefaultQuery!(), ...annotation });
  const query = support.prepareQuery!(prepared);
  if (!query) {
    return [];
  }
  const from = dateTime(range.from);
  const to = dateTime(range.to);
  const request = {
    targets: [{ ...query, refId: 'Anno' }],
    range: { from, to, raw: { from, to } },
    requestId: 'AQ100',
    scopedVars: {},
    interval: '1m',
    intervalMs: 60_000,
    maxDataPoints: 1000,
    timezone: 'browser',
    app: 'dashboard',
    startTime: 0,
  } as DataQueryRequest<IotLogsQuery>;
  const response = await lastValueFrom(ds.query(request));
  expect(response.errors).toBeUndefined();
  return (await lastValueFrom(support.processEvents!(prepared, response.data))) ?? [];
}

const annotation = (target: Partial<IotLogsQuery> & { annotate?: string }, patch: Record<string, unknown> = {}) => ({
  name: 'AWS IoT',
  enable: true,
  iconColor: 'red',
  datasource: { type: settings.type, uid: settings.uid },
  target: { refId: 'Anno', source: { type: 'inline', content: sample }, ...target },
  ...patch,
});

/** The sample's entries that pass `keep`, newest last, as the annotations should mark them. */
const expectedTimes = (keep: (e: Record<string, unknown>) => boolean) =>
  sampleEntries
    .filter(keep)
    .map((e) => utc(e.timestamp))
    .sort((a, b) => a - b);

describe('the annotations of the issue, on the bundled sample', () => {
  it('every Failure', async () => {
    const events = await annotate(annotation({ statuses: ['Failure'] }));
    expect(events.map((e) => e.time)).toEqual(expectedTimes((e) => e.status === 'Failure'));
    expect(events.every((e) => e.title!.endsWith(' Failure') && e.tags!.includes('Failure'))).toBe(true);
    // Each says what went wrong.
    const authz = events.find((e) => e.title === 'Connect Failure')!;
    expect(authz).toMatchObject({
      text: 'AUTHORIZATION_FAILURE · Authorization Failure',
      tags: ['message-broker', 'Connect', 'Failure', 'clientId:sensor-temp-04-b'],
    });
    const tooBig = events.find((e) => e.title === 'Publish-In Failure' && e.text!.includes('payload'))!;
    expect(tooBig.text).toBe('CLIENT_ERROR · The payload size exceeds the maximum message size of 128 KB');
    // A failure that AWS logs without a reason or details (a shadow update) shows the entry itself.
    const unexplained = sampleEntries.filter(
      (e) => e.status === 'Failure' && !e.reason && !e.details && !e.disconnectReason
    );
    expect(unexplained.length).toBeGreaterThan(0);
    const asWritten = events.filter((e) => e.text!.startsWith('{'));
    expect(asWritten.map((e) => JSON.parse(e.text!))).toEqual(unexplained);
  });

  it('every Disconnect with reason DUPLICATE_CLIENT_ID', async () => {
    const events = await annotate(
      annotation({
        eventTypes: ['Disconnect'],
        fieldFilters: [{ field: 'reason', op: '=', value: 'DUPLICATE_CLIENT_ID' }],
      })
    );
    expect(events.map((e) => e.time)).toEqual(
      expectedTimes((e) => e.eventType === 'Disconnect' && e.reason === 'DUPLICATE_CLIENT_ID')
    );
    const first = sampleEntries.find((e) => e.reason === 'DUPLICATE_CLIENT_ID')!;
    expect(events[0]).toEqual({
      time: utc(first.timestamp),
      title: 'Disconnect Failure',
      text: 'DUPLICATE_CLIENT_ID · A new connection was established with the same client ID',
      tags: ['message-broker', 'Disconnect', 'Failure', `clientId:${first.clientId}`],
    });
  });

  it('every RuleMessageThrottled', async () => {
    const events = await annotate(annotation({ eventTypes: ['RuleMessageThrottled'] }));
    expect(events.map((e) => e.time)).toEqual(expectedTimes((e) => e.eventType === 'RuleMessageThrottled'));
    const first = sampleEntries.find((e) => e.eventType === 'RuleMessageThrottled')!;
    expect(events[0]).toEqual({
      time: utc(first.timestamp),
      title: 'RuleMessageThrottled Failure',
      text: `RuleExecutionThrottled · Message for Rule ${first.ruleName} throttled`,
      tags: [
        'rules-engine',
        'RuleMessageThrottled',
        'Failure',
        `clientId:${first.clientId}`,
        `ruleName:${first.ruleName}`,
      ],
    });
  });

  it('each session of a device, as a region', async () => {
    const events = await annotate(
      annotation({ annotate: 'sessions', fieldFilters: [{ field: 'clientId', op: '=', value: 'gateway-03' }] })
    );
    const connects = expectedTimes(
      (e) => e.eventType === 'Connect' && e.clientId === 'gateway-03' && e.status !== 'Failure'
    );
    const withStart = events.filter((e) => !e.tags!.includes('startedBeforeData'));
    expect(withStart.map((e) => e.time)).toEqual(connects);
    for (const event of events) {
      expect(event.title).toBe('Session of gateway-03');
      if (event.isRegion) {
        expect(event.timeEnd!).toBeGreaterThan(event.time!);
      }
    }
    expect(events.filter((e) => e.isRegion).length).toBeGreaterThan(0);
    expect(events.some((e) => e.tags!.includes('takenOver'))).toBe(true);
  });
});

describe('findings as annotations', () => {
  it('marks each finding of the sample where it started, titled by kind and subject, with its sentence', async () => {
    const events = await annotate(annotation({ annotate: 'findings' }));
    const storm = events.find((e) => e.tags!.includes('storm'));
    expect(storm).toBeDefined();
    expect(storm!.title).toMatch(/^storm: /);
    expect(storm!.text).toMatch(/threshold/);
    expect(storm!.tags).toEqual(expect.arrayContaining(['finding', 'storm']));
    expect(storm!.timeEnd!).toBeGreaterThan(storm!.time!);
    // As many as the findings output gives for the same range.
    const from = dateTime(Date.UTC(2024, 2, 4));
    const to = dateTime(Date.UTC(2024, 2, 5));
    const response = await lastValueFrom(
      ds.query({
        targets: [
          {
            ...getDefaultQuery(),
            source: { type: 'inline', content: sample },
            output: 'findings',
            refId: 'F',
          } as IotLogsQuery,
        ],
        range: { from, to, raw: { from, to } },
        requestId: 'findings',
        scopedVars: {},
        interval: '1m',
        intervalMs: 60_000,
        timezone: 'browser',
        app: 'dashboard',
        startTime: 0,
      } as DataQueryRequest<IotLogsQuery>)
    );
    expect(events.length).toBe(response.data[0].length);
  });
});

describe('annotation support', () => {
  it('runs an annotation made with the regular editor with its filters, and its field mappings', async () => {
    // Saved before this editor: a version 2 panel query as the target, fields mapped by hand.
    const old = {
      name: 'Throttling',
      enable: true,
      iconColor: 'orange',
      target: {
        refId: 'A',
        schemaVersion: 2,
        source: { type: 'inline', content: sample },
        format: 'auto',
        ignoreTimeRange: true,
        components: ['rules-engine'],
        eventTypes: ['RuleMessageThrottled'],
        statuses: [],
      },
      mappings: { text: { source: AnnotationEventFieldSource.Field, value: 'ruleName' } },
    };
    const prepared = support.prepareAnnotation!(old);
    expect(prepared.target).toMatchObject({ components: ['rules-engine'], eventTypes: ['RuleMessageThrottled'] });
    const events = await annotate(old);
    expect(events).toHaveLength(sampleEntries.filter((e) => e.eventType === 'RuleMessageThrottled').length);
    expect(events.every((e) => e.text === 'TelemetryToTimestream' && e.title === 'RuleMessageThrottled Failure')).toBe(
      true
    );
  });

  it('marks the newest 1,000 entries and says that older ones are not shown', async () => {
    const events = await annotate(annotation({}));
    expect(events).toHaveLength(ANNOTATION_LIMIT + 1);
    const [marker, ...kept] = events;
    expect(marker.tags).toEqual([LIMIT_TAG]);
    expect(marker.title).toBe('Older annotations not shown');
    expect(kept.map((e) => e.time)).toEqual(expectedTimes(() => true).slice(-ANNOTATION_LIMIT));
    expect(marker.time).toBe(kept[0].time);
  });

  it('runs nothing while there is nothing to read, and keeps the annotation of a dashboard as it is', async () => {
    expect(await annotate({ name: 'New', enable: true, iconColor: 'red' })).toEqual([]);
    const current = support.prepareAnnotation!(annotation({ statuses: ['Failure'] }));
    expect(support.prepareAnnotation!(current)).toBe(current);
  });

  it('offers its own editor and defaults', () => {
    expect(support.QueryEditor).toBeDefined();
    expect(support.getDefaultQuery!()).toMatchObject({ annotate: 'entries', output: 'logs' });
    const anno: AnnotationQuery<IotLogsQuery> = support.prepareAnnotation!({
      name: 'x',
      enable: true,
      iconColor: 'red',
    });
    expect(anno.target).toMatchObject({ refId: 'Anno', annotate: 'entries' });
  });
});
