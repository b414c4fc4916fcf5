import { AnnotationEventFieldSource, type AnnotationEvent, type AnnotationQuery, type DataFrame } from '@grafana/data';

import { migrateQuery } from '../migrations/migrateQuery';
import { logsFramesOf, logsOutput } from '../output/logs';
import { sessionsOutput } from '../output/sessions';
import type { Selection } from '../output/types';
import { parseTables } from '../parsing';
import type { EventTable } from '../parsing/table';
import { tableOf } from '../parsing/testTables';
import { awsReferenceExamples, utcMillis } from '../parsing/testutils';
import { getDefaultQuery, SCHEMA_VERSION, type IotLogsQuery } from '../types';
import {
  ANNOTATION_LIMIT,
  LIMIT_TAG,
  annotationRunQuery,
  annotationsFromFrames,
  getDefaultAnnotationQuery,
  mappedKeys,
  migrateAnnotationQuery,
  prepareAnnotation,
  type IotLogsAnnotationQuery,
} from './annotations';

const examples = awsReferenceExamples();
const content = examples.map((e) => e.text).join('\n');

/** The logs frames of the 22 examples of AWS's log entry format page, as the logs output makes them. */
const referenceFrames = logsFramesOf(parseTables(content).tables);

const entries = (patch: Partial<IotLogsAnnotationQuery> = {}) => ({
  target: { refId: 'Anno', ...getDefaultQuery(), annotate: 'entries', ...patch } as IotLogsAnnotationQuery,
});
const sessions = (patch: Partial<IotLogsAnnotationQuery> = {}) => entries({ annotate: 'sessions', ...patch });

/** The annotation of the example of `eventType`. */
function eventOf(events: AnnotationEvent[], eventType: string): AnnotationEvent {
  const found = events.filter((e) => e.title?.startsWith(`${eventType} `));
  expect(found).toHaveLength(1);
  return found[0];
}

/** An annotation as stored by a dashboard: Grafana's keys around a target. */
function stored(target: unknown, patch: Record<string, unknown> = {}): AnnotationQuery<IotLogsQuery> {
  return {
    name: 'Failures',
    enable: true,
    iconColor: 'red',
    datasource: { type: 'seed-awsiotlogs-datasource', uid: 'iot' },
    target: target as IotLogsQuery,
    ...patch,
  };
}

describe('the annotation query', () => {
  it('has defaults that mark each entry of pasted text, and migrate to themselves', () => {
    const defaults = getDefaultAnnotationQuery();
    expect(defaults).toEqual({ ...getDefaultQuery(), annotate: 'entries', output: 'logs' });
    const query = { refId: 'Anno', ...defaults };
    expect(migrateAnnotationQuery(query)).toEqual(query);
    expect(prepareAnnotation(stored(query)).target).toBe(query);
  });

  it('migrates any stored target with migrateQuery, keeping its filters, and derives what it marks', () => {
    const v2 = {
      refId: 'A',
      schemaVersion: 2,
      source: { type: 'inline', content: 'x' },
      format: 'auto',
      ignoreTimeRange: false,
      components: ['message-broker'],
      eventTypes: ['Disconnect'],
      statuses: ['Failure'],
    };
    expect(migrateAnnotationQuery(v2)).toEqual({ ...migrateQuery(v2), annotate: 'entries', output: 'logs' });
    expect(migrateAnnotationQuery(v2)).toMatchObject({
      schemaVersion: SCHEMA_VERSION,
      refId: 'A',
      ignoreTimeRange: false,
      components: ['message-broker'],
      eventTypes: ['Disconnect'],
      statuses: ['Failure'],
    });
    // A query of the sessions output marks sessions; `annotate` wins over the output; output follows it.
    expect(migrateAnnotationQuery({ ...v2, schemaVersion: 3, output: 'sessions' })).toMatchObject({
      annotate: 'sessions',
      output: 'sessions',
    });
    expect(migrateAnnotationQuery({ ...v2, output: 'sessions', annotate: 'entries' }).output).toBe('logs');
    expect(migrateAnnotationQuery({ ...v2, output: 'counts' })).toMatchObject({ annotate: 'entries', output: 'logs' });
    expect(migrateAnnotationQuery({ ...v2, annotate: 'bogus' }).annotate).toBe('entries');
    // Nothing stored: the defaults, refId Anno.
    expect(migrateAnnotationQuery(undefined)).toEqual({ refId: 'Anno', ...getDefaultAnnotationQuery() });
    const once = migrateAnnotationQuery(v2);
    expect(migrateAnnotationQuery(once)).toEqual(once);
  });
});

describe('prepareAnnotation', () => {
  it('migrates an annotation made with the regular editor, keeping its filters, mappings and settings', () => {
    // Before this editor, annotations used the panel editor: a version 0 target with single-value
    // filters, and fields mapped by hand below it.
    const mappings = {
      text: { source: AnnotationEventFieldSource.Field, value: 'body' },
      tags: { source: AnnotationEventFieldSource.Field, value: 'clientId' },
    };
    const old = stored(
      { refId: 'Anno', content, eventType: 'Disconnect', status: 'Failure', search: 'gateway' },
      { mappings, hide: true, filter: { exclude: false, ids: [2] } }
    );
    const prepared = prepareAnnotation(old);
    expect(prepared).not.toBe(old);
    expect(prepared).toEqual({
      ...old,
      target: {
        ...migrateQuery({ refId: 'Anno', content, eventType: 'Disconnect', status: 'Failure', search: 'gateway' }),
        annotate: 'entries',
        output: 'logs',
      },
    });
    expect(prepared.target).toMatchObject({
      source: { type: 'inline', content },
      eventTypes: ['Disconnect'],
      statuses: ['Failure'],
      search: 'gateway',
    });
    // The annotation's own `hide` (its toggle on the dashboard) is not the query's: the query still runs.
    expect(prepared.target!.hide).toBeUndefined();
    expect(annotationRunQuery(prepared)!.hide).toBeUndefined();
    // A target hidden in a panel editor still runs as an annotation.
    expect(annotationRunQuery(prepareAnnotation(stored({ refId: 'A', content, hide: true })))!.hide).toBeUndefined();
  });

  it('returns an annotation that needs nothing as it is, so that the editor settles after one step', () => {
    for (const target of [
      undefined,
      { refId: 'A', content: 'x' },
      { refId: 'A', ...getDefaultQuery(), output: 'sessions' },
    ]) {
      const first = prepareAnnotation(stored(target));
      expect(first.target).toBeDefined();
      expect(prepareAnnotation(first)).toBe(first);
    }
  });
});

describe('the query an annotation runs', () => {
  it('runs the logs output for entries, one more than the limit, with every filter kept', () => {
    const filters: Partial<IotLogsQuery> = {
      source: { type: 'inline', content },
      components: ['rules-engine'],
      eventTypes: ['RuleMessageThrottled'],
      statuses: ['Failure'],
      logLevels: ['ERROR'],
      fieldFilters: [{ field: 'ruleName', op: '=', value: '$rule' }],
      topicFilters: ['$aws/rules/#'],
      search: 'throttled',
      ignoreTimeRange: false,
    };
    const query = annotationRunQuery(entries({ ...filters, limit: 5 }));
    expect(query).toMatchObject({ ...filters, refId: 'Anno', output: 'logs', limit: ANNOTATION_LIMIT + 1 });
    expect(query).not.toHaveProperty('annotate');
  });

  it('runs the sessions output for sessions, and nothing while there is no input', () => {
    const query = annotationRunQuery(sessions({ source: { type: 'inline', content }, limit: 5 }));
    expect(query).toMatchObject({ output: 'sessions' });
    expect(query).not.toHaveProperty('limit');
    expect(annotationRunQuery(entries())).toBeUndefined();
    expect(annotationRunQuery(entries({ source: { type: 'url', path: '' } }))).toBeUndefined();
    expect(annotationRunQuery(entries({ source: { type: 'sample' } }))).toMatchObject({ source: { type: 'sample' } });
  });
});

describe('annotations carry the mapped fields', () => {
  it('marks each entry at its time, titled by eventType and status, tagged by component, eventType, status and ids', () => {
    const { events, found, cut } = annotationsFromFrames(entries(), referenceFrames);
    expect(found).toBe(22);
    expect(cut).toBe(false);
    expect(events).toHaveLength(22);
    for (const example of examples) {
      const { eventType, status, timestamp } = example.json as Record<string, string>;
      const event = eventOf(events, eventType);
      expect(event.time).toBe(utcMillis(timestamp));
      expect(event.title).toBe(`${eventType} ${status}`);
      expect(event.tags!.slice(1, 3)).toEqual([eventType, status]);
      expect(event).not.toHaveProperty('timeEnd');
      expect(event).not.toHaveProperty('id');
    }
    // In time order.
    expect(events.map((e) => e.time)).toEqual([...events.map((e) => e.time!)].sort((a, b) => a - b));
  });

  it('gives the reason and details as text, the ids as tags', () => {
    const { events } = annotationsFromFrames(entries(), referenceFrames);
    expect(eventOf(events, 'RuleMessageThrottled')).toEqual({
      time: utcMillis('2017-10-04 19:25:46.070'),
      title: 'RuleMessageThrottled Failure',
      text: 'RuleExecutionThrottled · Message for Rule example_rule throttled',
      tags: [
        'rules-engine',
        'RuleMessageThrottled',
        'Failure',
        'clientId:abf27092886e49a8a5c1922749736453',
        'ruleName:example_rule',
      ],
    });
    expect(eventOf(events, 'UpdateJobExecution')).toEqual({
      time: utcMillis('2017-08-10 19:25:14.758'),
      title: 'UpdateJobExecution Success',
      text: 'The destination status is IN_PROGRESS. The request status is SUCCESS.',
      tags: ['jobs', 'UpdateJobExecution', 'Success', 'clientId:thingOne', 'thingName:thingOne', 'jobId:002'],
    });
    expect(eventOf(events, 'AddThingToDynamicThingGroupsFailed')).toMatchObject({
      text: expect.stringMatching(/^The thing failed to be added/),
      tags: ['thing-groups', 'AddThingToDynamicThingGroupsFailed', 'Failure', 'thingName:TestThing'],
    });
    // The thing name taken from a shadow topic is an id too; FunctionExecution's clientId "N/A" is none.
    expect(eventOf(events, 'GetThingShadow').tags).toEqual([
      'device-shadow',
      'GetThingShadow',
      'Success',
      'thingName:MyThing',
    ]);
    expect(eventOf(events, 'FunctionExecution').tags).toEqual([
      'rules-engine',
      'FunctionExecution',
      'Success',
      'ruleName:ruleTestPredict',
    ]);
  });

  it('gives the entry as written when nothing explains it, and one spelling of a disconnect reason', () => {
    const { events } = annotationsFromFrames(entries(), referenceFrames);
    const connect = examples.find((e) => e.eventType === 'Connect')!;
    expect(JSON.parse(eventOf(events, 'Connect').text!)).toEqual(connect.json);

    const disconnect = tableOf('Disconnect', [
      {
        timestamp: '2024-03-04 14:00:03.118',
        status: 'Failure',
        clientId: 'gateway-03',
        disconnectReason: 'DUPLICATE_CLIENTID',
        reason: 'DUPLICATE_CLIENT_ID',
        details: 'A new connection was established with the same client ID',
      },
      {
        timestamp: '2024-03-04 14:10:00.000',
        status: 'Success',
        clientId: 'a',
        disconnectReason: 'MQTT_KEEP_ALIVE_TIMEOUT',
      },
      {
        timestamp: '2024-03-04 14:20:00.000',
        clientId: 'b',
        reason: 'CLIENT_ERROR',
        disconnectReason: 'CONNECTION_LOST',
      },
    ]);
    const indexing = tableOf('IndexingCustomFieldFailed', [
      {
        timestamp: '2024-03-04 15:00:00.000',
        status: 'Failure',
        thingName: 'pump-01',
        failedCustomFields: [{ Name: 'attributes.rpm', Value: 'fast', ExpectedType: 'Number' }],
      },
    ]);
    const result = annotationsFromFrames(entries(), logsFramesOf([disconnect, indexing]));
    expect(result.events.map(({ title, text, tags }) => ({ title, text, tags }))).toEqual([
      {
        title: 'Disconnect Failure',
        text: 'DUPLICATE_CLIENT_ID · A new connection was established with the same client ID',
        tags: ['message-broker', 'Disconnect', 'Failure', 'clientId:gateway-03'],
      },
      {
        title: 'Disconnect Success',
        text: 'MQTT_KEEP_ALIVE_TIMEOUT',
        tags: ['message-broker', 'Disconnect', 'Success', 'clientId:a'],
      },
      // No status: the title is the eventType alone.
      {
        title: 'Disconnect',
        text: 'CLIENT_ERROR · CONNECTION_LOST',
        tags: ['message-broker', 'Disconnect', 'clientId:b'],
      },
      {
        title: 'IndexingCustomFieldFailed Failure',
        text: '[{"Name":"attributes.rpm","Value":"fast","ExpectedType":"Number"}]',
        tags: ['fleet-indexing', 'IndexingCustomFieldFailed', 'Failure', 'thingName:pump-01'],
      },
    ]);
  });

  describe('sessions', () => {
    const S = 1000;
    const T0 = Date.UTC(2024, 2, 4);
    const at = (s: number) => T0 + s * S;
    const connect = tableOf('Connect', [
      { timestamp: at(10), status: 'Success', clientId: 'pump-01', protocol: 'MQTT', sourceIp: '203.0.113.40' },
      { timestamp: at(20), status: 'Success', clientId: 'gw-1', protocol: 'MQTT', sourceIp: '198.51.100.1' },
      { timestamp: at(30), status: 'Success', clientId: 'gw-1', protocol: 'MQTT', sourceIp: '198.51.100.2' },
      { timestamp: at(40), status: 'Success', clientId: 'open-1', protocol: 'MQTT' },
      { timestamp: at(50), status: 'Success', clientId: 'blip' },
    ]);
    const disconnects = tableOf('Disconnect', [
      { timestamp: at(5), status: 'Success', clientId: 'early', disconnectReason: 'CLIENT_INITIATED_DISCONNECT' },
      { timestamp: at(50), status: 'Success', clientId: 'blip' },
      { timestamp: at(60), status: 'Success', clientId: 'pump-01', disconnectReason: 'MQTT_KEEP_ALIVE_TIMEOUT' },
      {
        timestamp: at(30),
        status: 'Failure',
        clientId: 'gw-1',
        disconnectReason: 'DUPLICATE_CLIENTID',
        reason: 'DUPLICATE_CLIENT_ID',
      },
    ]);
    // Records numbered after the Connects', as in one log where each Disconnect is written after them
    // (the blip's Connect and Disconnect share a time).
    const disconnect: EventTable = { ...disconnects, record: disconnects.record.map((r) => r + 100) };
    const frames = sessionsOutput(
      [{ table: connect }, { table: disconnect }],
      { refId: 'Anno', output: 'sessions' },
      {
        from: T0,
        to: at(100),
      }
    );

    it('marks each session as a region from its Connect to its Disconnect', () => {
      const { events, found, cut } = annotationsFromFrames(sessions(), frames);
      expect({ found, cut }).toEqual({ found: 6, cut: false });
      const byClient = (clientId: string, i = 0) =>
        events.filter((e) => e.title === `Session of ${clientId}`)[i] ?? fail(`no session ${i} of ${clientId}`);
      expect(byClient('pump-01')).toEqual({
        time: at(10),
        timeEnd: at(60),
        isRegion: true,
        title: 'Session of pump-01',
        text: 'MQTT_KEEP_ALIVE_TIMEOUT · MQTT from 203.0.113.40',
        tags: ['message-broker', 'session', 'clientId:pump-01', 'MQTT_KEEP_ALIVE_TIMEOUT'],
      });
      // A takeover: the older session ends when the newer one connects; the newer one is still open and
      // runs to the end of the time range.
      expect(byClient('gw-1', 0)).toEqual({
        time: at(20),
        timeEnd: at(30),
        isRegion: true,
        title: 'Session of gw-1',
        text: 'DUPLICATE_CLIENTID · ended by a newer connection with the same client ID · MQTT from 198.51.100.1',
        tags: ['message-broker', 'session', 'clientId:gw-1', 'DUPLICATE_CLIENTID', 'takenOver'],
      });
      expect(byClient('gw-1', 1)).toEqual({
        time: at(30),
        timeEnd: at(100),
        isRegion: true,
        title: 'Session of gw-1',
        text: 'still connected at the end of the data · took over a connection with the same client ID · MQTT from 198.51.100.2',
        tags: ['message-broker', 'session', 'clientId:gw-1', 'takeover', 'open'],
      });
      // Begun before the data: marked where it ended, no region.
      expect(byClient('early')).toEqual({
        time: at(5),
        title: 'Session of early',
        text: 'CLIENT_INITIATED_DISCONNECT · began before the data (marked where it ended)',
        tags: ['message-broker', 'session', 'clientId:early', 'CLIENT_INITIATED_DISCONNECT', 'startedBeforeData'],
      });
      // No time between Connect and Disconnect: a point.
      expect(byClient('blip')).toEqual({
        time: at(50),
        title: 'Session of blip',
        text: 'no disconnect reason logged',
        tags: ['message-broker', 'session', 'clientId:blip'],
      });
      expect(byClient('open-1')).toMatchObject({
        time: at(40),
        timeEnd: at(100),
        tags: expect.arrayContaining(['open']),
      });
    });

    it('reads only the frames of what it marks', () => {
      expect(annotationsFromFrames(entries(), frames).events).toEqual([]);
      expect(annotationsFromFrames(sessions(), referenceFrames).events).toEqual([]);
      expect(annotationsFromFrames(entries(), [{ name: 'No entries', fields: [], length: 0 }]).events).toEqual([]);
    });
  });
});

describe('field mappings set by hand', () => {
  const throttled = (): DataFrame[] =>
    logsFramesOf(
      parseTables(
        examples
          .filter((e) => e.eventType.startsWith('Rule'))
          .map((e) => e.text)
          .join('\n')
      ).tables
    );

  it('replace a default where they give a value', () => {
    const { events } = annotationsFromFrames(
      {
        ...entries(),
        mappings: {
          text: { source: AnnotationEventFieldSource.Field, value: 'BODY' },
          tags: { source: AnnotationEventFieldSource.Field, value: 'ruleName' },
          title: { source: AnnotationEventFieldSource.Text, value: 'Rules engine' },
          // Only some entries have details: the others keep their default.
          id: { source: AnnotationEventFieldSource.Field, value: 'details' },
        },
      },
      throttled()
    );
    // The text is the entry as written (the body field, named in another case).
    const event = events.find((e) => JSON.parse(e.text!).eventType === 'RuleMessageThrottled')!;
    expect(event.tags).toEqual(['example_rule']);
    expect(events.every((e) => e.title === 'Rules engine')).toBe(true);
    expect(event.id).toBe('Message for Rule example_rule throttled');
    expect(events.filter((e) => e.id === undefined).length).toBeGreaterThan(0);
  });

  it('skip a key, and split text tags on commas; the time is never skipped', () => {
    const { events } = annotationsFromFrames(
      {
        ...entries(),
        mappings: {
          text: { source: AnnotationEventFieldSource.Skip },
          time: { source: AnnotationEventFieldSource.Skip },
          tags: { source: AnnotationEventFieldSource.Text, value: 'rules, throttling ,' },
        },
      },
      throttled()
    );
    for (const event of events) {
      expect(event).not.toHaveProperty('text');
      expect(typeof event.time).toBe('number');
      expect(event.tags).toEqual(['rules', 'throttling']);
    }
  });

  it('make a region from a time field', () => {
    const table = tableOf('Ping', [
      { timestamp: 1_000, clientId: 'a', requestTimestamp: 1_000, responseTimestamp: 1_500 },
      { timestamp: 2_000, clientId: 'a', requestTimestamp: 2_000 },
    ]);
    const { events } = annotationsFromFrames(
      { ...entries(), mappings: { timeEnd: { source: AnnotationEventFieldSource.Field, value: 'responseTimestamp' } } },
      logsFramesOf([table])
    );
    expect(events.map(({ time, timeEnd, isRegion }) => ({ time, timeEnd, isRegion }))).toEqual([
      { time: 1_000, timeEnd: 1_500, isRegion: true },
      { time: 2_000, timeEnd: undefined, isRegion: undefined },
    ]);
  });

  it('are named for the editor', () => {
    expect(
      mappedKeys({
        text: { source: AnnotationEventFieldSource.Field, value: 'body' },
        tags: { source: AnnotationEventFieldSource.Skip },
        title: { source: AnnotationEventFieldSource.Field },
      })
    ).toEqual(['text', 'tags']);
    expect(mappedKeys(undefined)).toEqual([]);
  });
});

describe('the limit', () => {
  const N = ANNOTATION_LIMIT + 500;
  const T0 = Date.UTC(2024, 2, 4);
  const failures = tableOf(
    'RuleMessageThrottled',
    Array.from({ length: N }, (_, i) => ({
      timestamp: T0 + i * 1000,
      status: 'Failure',
      clientId: `pump-${i}`,
      ruleName: 'TelemetryToTimestream',
      reason: 'RuleExecutionThrottled',
    }))
  );

  it('keeps the newest entries, with a marker at the oldest kept saying that older ones are not shown', () => {
    // What Grafana runs: the logs output cut to one more than the limit.
    const query = annotationRunQuery(entries({ source: { type: 'inline', content: 'x' } }))!;
    const frames = logsOutput([{ table: failures }], query, { from: 0, to: T0 + N * 1000 });
    expect(frames.reduce((n, f) => n + f.length, 0)).toBe(ANNOTATION_LIMIT + 1);

    const { events, found, cut } = annotationsFromFrames(entries(), frames);
    expect({ found, cut }).toEqual({ found: ANNOTATION_LIMIT + 1, cut: true });
    expect(events).toHaveLength(ANNOTATION_LIMIT + 1);
    const [marker, ...kept] = events;
    expect(kept).toHaveLength(ANNOTATION_LIMIT);
    expect(kept[0].time).toBe(T0 + (N - ANNOTATION_LIMIT) * 1000);
    expect(kept.at(-1)!.time).toBe(T0 + (N - 1) * 1000);
    expect(marker).toEqual({
      time: kept[0].time,
      title: 'Older annotations not shown',
      text: 'This annotation query marks the newest 1,000 matching entries; older ones are not shown. Narrow its filters or the time range to see them.',
      tags: [LIMIT_TAG],
    });
  });

  it('keeps the newest sessions, saying how many there were', () => {
    const connects = tableOf(
      'Connect',
      Array.from({ length: N }, (_, i) => ({ timestamp: T0 + i * 1000, status: 'Success', clientId: `c-${i}` }))
    );
    const selections: Selection[] = [{ table: connects }];
    const frames = sessionsOutput(selections, { refId: 'Anno', output: 'sessions' }, { from: T0, to: T0 + N * 1000 });
    const { events, found, cut } = annotationsFromFrames(sessions(), frames);
    expect({ found, cut, length: events.length }).toEqual({ found: N, cut: true, length: ANNOTATION_LIMIT + 1 });
    expect(events[0].text).toBe(
      'This annotation query marks the newest 1,000 of 1,500 matching sessions; older ones are not shown. Narrow its filters or the time range to see them.'
    );
    expect(events[1].title).toBe(`Session of c-${N - ANNOTATION_LIMIT}`);
  });

  it('adds no marker when nothing is left out', () => {
    const { events, cut } = annotationsFromFrames(entries(), logsFramesOf([failures]), N);
    expect(cut).toBe(false);
    expect(events).toHaveLength(N);
    expect(events.some((e) => e.tags?.includes(LIMIT_TAG))).toBe(false);
  });
});
