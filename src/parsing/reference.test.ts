/**
 * Every example of AWS's "CloudWatch Log Entry Format" page, one by one and all together.
 * Runs with TZ=America/St_Johns (see jest.config.js): times must not depend on the machine's zone.
 */
import { parseLogs } from './index';
import { getEventTypeSchema } from './schema/registry';
import { awsReferenceExamples, fieldOf, frameOf, rowOf, utcMillis } from './testutils';

const examples = awsReferenceExamples();

describe('AWS reference examples', () => {
  it('has all 22 examples', () => {
    expect(examples).toHaveLength(22);
    expect(new Date(utcMillis('2017-08-10 15:37:23.476')).getTimezoneOffset()).not.toBe(0);
  });

  describe.each(examples.map((e) => [e.eventType, e] as const))('%s', (eventType, example) => {
    const result = parseLogs(example.text);
    const frame = result.frames[0];

    it('becomes one entry in one frame named after its eventType', () => {
      expect(result.issues).toEqual([]);
      expect(result.stats).toMatchObject({
        records: 1,
        entries: 1,
        rejected: 0,
        format: 'json-objects',
        eventTypes: 1,
      });
      expect(result.frames).toHaveLength(1);
      expect(frame.name).toBe(eventType);
      expect(frame.length).toBe(1);
      expect(frame.meta?.custom).toMatchObject({ eventType, documented: true });
    });

    it('has its time in UTC, whatever the zone of the machine', () => {
      const time = fieldOf(frame, 'timestamp');
      expect(time.type).toBe('time');
      expect(time.values[0]).toBe(utcMillis(example.json.timestamp as string));
    });

    it('is a log line for the logs view', () => {
      expect(frame.meta).toMatchObject({ type: 'log-lines', preferredVisualisationType: 'logs' });
      expect(fieldOf(frame, 'body')).toMatchObject({ type: 'string' });
      expect(JSON.parse(fieldOf(frame, 'body').values[0])).toEqual(example.json);
      expect(fieldOf(frame, 'severity').values[0]).toBe(example.json.logLevel);
      expect(fieldOf(frame, 'labels').values[0]).toMatchObject({ eventType, status: example.json.status });
    });

    it('has every documented field, typed as documented, with the description as config', () => {
      const schema = getEventTypeSchema(eventType)!;
      expect(schema).toBeDefined();
      for (const f of schema.fields) {
        if (f.kind === 'object' || f.name === 'timestamp') {
          continue;
        }
        const field = fieldOf(frame, f.name);
        expect({ name: f.name, type: field.type }).toEqual({ name: f.name, type: f.kind });
        expect(field.config.description).toBe(f.description);
      }
    });

    it('keeps every attribute of the example with its value as written', () => {
      const row = rowOf(frame, 0);
      for (const [key, value] of Object.entries(example.json)) {
        if (key === 'timestamp') {
          continue;
        }
        if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
          for (const [sub, subValue] of Object.entries(value)) {
            expect({ [`${key}.${sub}`]: row[`${key}.${sub}`] }).toEqual({ [`${key}.${sub}`]: subValue });
          }
        } else {
          expect({ [key]: row[key] }).toEqual({ [key]: value });
        }
      }
    });

    it('leaves documented attributes the example lacks as nulls', () => {
      const schema = getEventTypeSchema(eventType)!;
      const row = rowOf(frame, 0);
      for (const f of schema.fields) {
        if (!(f.name in example.json) && f.kind !== 'object' && !f.derived) {
          expect({ [f.name]: row[f.name] }).toEqual({ [f.name]: null });
        }
      }
    });
  });

  it('types numbers, ids, nested and array attributes', () => {
    const { frames } = parseLogs(examples.map((e) => e.text).join('\n'));
    const connect = frameOf(frames, 'Connect');
    expect(fieldOf(connect, 'sourcePort')).toMatchObject({ type: 'number', values: [13490] });
    expect(fieldOf(connect, 'accountId')).toMatchObject({ type: 'string', values: ['123456789012'] });
    expect(fieldOf(connect, 'traceId')).toMatchObject({
      type: 'string',
      values: ['20b23f3f-d7f1-feae-169f-82263394fbdb'],
    });

    const update = frameOf(frames, 'UpdateJobExecution');
    expect(fieldOf(update, 'jobId')).toMatchObject({ type: 'string', values: ['002'] });
    expect(fieldOf(update, 'versionNumber')).toMatchObject({ type: 'string', values: ['1'] });
    expect(fieldOf(update, 'thingName')).toMatchObject({ type: 'string', values: ['thingOne'] });

    const ruleExecution = frameOf(frames, 'RuleExecution');
    expect(fieldOf(ruleExecution, 'resources.RepublishTopic')).toMatchObject({
      type: 'string',
      values: ['rules/republish'],
    });
    const names = ruleExecution.fields.map((f) => f.name);
    expect(names.indexOf('resources.RepublishTopic')).toBe(names.indexOf('ruleAction') + 1);

    const fn = frameOf(frames, 'FunctionExecution');
    expect(fieldOf(fn, 'resources.ModelId').values).toEqual(['predict-model']);
    expect(fieldOf(fn, 'accountId').values).toEqual([null]);

    const dynamic = frameOf(frames, 'AddThingToDynamicThingGroupsFailed');
    expect(fieldOf(dynamic, 'dynamicThingGroupNames')).toMatchObject({
      type: 'other',
      values: [['DynamicThingGroup11', 'DynamicThingGroup12', 'DynamicThingGroup13', 'DynamicThingGroup14']],
    });

    const shadow = frameOf(frames, 'UpdateThingShadow');
    expect(fieldOf(shadow, 'thingName').values).toEqual(['Jack']);
    expect(fieldOf(shadow, 'shadowName').values).toEqual([null]);

    const pending = frameOf(frames, 'GetPendingJobExecution');
    expect(fieldOf(pending, 'thingName').values).toEqual(['299966ad-54de-40b4-99d3-4fc8b52da0c5']);
    expect(fieldOf(pending, 'traceId').values).toEqual([null]);
  });

  it('pulls the seven job execution counts out of ReportFinalJobExecutionCount details', () => {
    const { frames } = parseLogs(examples.find((e) => e.eventType === 'ReportFinalJobExecutionCount')!.text);
    const row = rowOf(frames[0], 0);
    expect(row).toMatchObject({
      QUEUED: 0,
      IN_PROGRESS: 0,
      FAILED: 0,
      SUCCEEDED: 1,
      CANCELED: 0,
      REJECTED: 0,
      REMOVED: 0,
    });
    for (const status of ['QUEUED', 'IN_PROGRESS', 'FAILED', 'SUCCEEDED', 'CANCELED', 'REJECTED', 'REMOVED']) {
      expect(fieldOf(frames[0], status).type).toBe('number');
    }
  });

  describe('all together', () => {
    const asWritten = examples.map((e) => e.text).join('\n');
    const compact = examples.map((e) => JSON.stringify(e.json)).join('\n');
    const array = `[${examples.map((e) => e.text).join(',')}]`;
    const concatenated = examples.map((e) => JSON.stringify(e.json)).join('');

    it.each([
      ['pretty-printed, as written', asWritten, 'json-objects'],
      [
        'pretty-printed with blank lines and CRLF',
        examples.map((e) => e.text.replace(/\n/g, '\r\n')).join('\r\n\r\n'),
        'json-objects',
      ],
      ['compact, one per line', compact, 'ndjson'],
      ['in a JSON array', array, 'json-array'],
      ['concatenated with nothing between', concatenated, 'json-objects'],
    ])('%s', (_, text, format) => {
      const result = parseLogs(text);
      expect(result.issues).toEqual([]);
      expect(result.stats).toMatchObject({ format, records: 22, entries: 22, rejected: 0, eventTypes: 22 });
      expect(result.frames.map((f) => f.name).sort()).toEqual(examples.map((e) => e.eventType).sort());
      expect(result.frames.reduce((n, f) => n + f.length, 0)).toBe(22);
    });

    it('gives every row an id that is unique across frames', () => {
      const { frames } = parseLogs(asWritten);
      const ids = frames.flatMap((f) => fieldOf(f, 'id').values);
      expect(new Set(ids).size).toBe(22);
    });

    it('reads bytes: UTF-8 with a BOM, as Uint8Array and ArrayBuffer', () => {
      const bytes = new TextEncoder().encode(`\ufeff${asWritten}`);
      for (const input of [bytes, bytes.buffer]) {
        const result = parseLogs(input);
        expect(result.stats).toMatchObject({ records: 22, entries: 22, rejected: 0, inputSize: bytes.byteLength });
      }
    });
  });
});
