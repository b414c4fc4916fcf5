import { parseLogs } from '../parsing';
import { awsReferenceExamples } from '../parsing/testutils';
import { getDefaultQuery, type IotLogsQuery } from '../types';
import { filterFrames } from './filterFrames';
import { parseNotices } from './notices';
import { ParseCache } from './parseCache';
import { runQuery, type QueryFrameMeta } from './runQuery';

const content = awsReferenceExamples()
  .map((e) => e.text)
  .join('\n');
const query = (patch: Partial<IotLogsQuery> = {}): IotLogsQuery => ({
  refId: 'A',
  ...getDefaultQuery(),
  source: { type: 'inline', content },
  ...patch,
});

describe('ParseCache', () => {
  it('parses each distinct content once and evicts the least recently used', () => {
    const parse = jest.fn((text: string) => parseLogs(text));
    const cache = new ParseCache(2, parse);
    const a = cache.get('a');
    expect(cache.get('a')).toBe(a);
    cache.get('b');
    cache.get('a');
    cache.get('c'); // evicts b
    cache.get('a');
    expect(parse.mock.calls.map(([t]) => t)).toEqual(['a', 'b', 'c']);
    cache.get('b');
    expect(parse).toHaveBeenCalledTimes(4);
  });
});

describe('filterFrames', () => {
  const { frames } = parseLogs(content);

  it('keeps everything without filters', () => {
    expect(filterFrames(frames, { components: [], eventTypes: [], statuses: [] })).toEqual(frames);
  });

  it('filters frames by component and eventType', () => {
    const jobs = filterFrames(frames, { components: ['jobs'], eventTypes: [], statuses: [] });
    expect(jobs.map((f) => f.name).sort()).toEqual([
      'DescribeJobExecution',
      'GetPendingJobExecution',
      'ReportFinalJobExecutionCount',
      'StartNextPendingJobExecution',
      'UpdateJobExecution',
    ]);
    const both = filterFrames(frames, {
      components: ['jobs', 'device-shadow'],
      eventTypes: ['UpdateJobExecution', 'GetThingShadow'],
      statuses: [],
    });
    expect(both.map((f) => f.name).sort()).toEqual(['GetThingShadow', 'UpdateJobExecution']);
  });

  it('filters rows by status and drops frames left empty', () => {
    const failures = filterFrames(frames, { components: [], eventTypes: [], statuses: ['Failure'] });
    expect(failures.map((f) => f.name).sort()).toEqual([
      'AddThingToDynamicThingGroupsFailed',
      'RuleMessageThrottled',
      'RuleNotFound',
    ]);
    for (const frame of failures) {
      expect(frame.fields.every((f) => f.values.length === frame.length)).toBe(true);
    }
  });

  it('filters rows inside a frame', () => {
    const entry = (status: string, clientId: string) =>
      JSON.stringify({ ...awsReferenceExamples()[0].json, status, clientId });
    const parsed = parseLogs([entry('Success', 'a'), entry('Failure', 'b'), entry('Success', 'c')].join('\n'));
    const [frame] = filterFrames(parsed.frames, { components: [], eventTypes: [], statuses: ['Success'] });
    expect(frame.length).toBe(2);
    expect(frame.fields.find((f) => f.name === 'clientId')!.values).toEqual(['a', 'c']);
    expect(parsed.frames[0].length).toBe(3);
  });
});

describe('parseNotices', () => {
  it('says nothing when all is well', () => {
    expect(parseNotices(parseLogs(content))).toEqual([]);
  });

  it('asks for entries when there are none', () => {
    expect(parseNotices(parseLogs(''))).toEqual([{ severity: 'info', text: expect.stringMatching(/No log entries/) }]);
  });

  it('counts rejections by reason and lists the first few with line numbers', () => {
    const lines = [
      '{"a":1}',
      ...Array.from({ length: 7 }, () => 'junk'),
      JSON.stringify(awsReferenceExamples()[0].json),
    ];
    const [notice] = parseNotices(parseLogs(lines.join('\n')));
    expect(notice.severity).toBe('warning');
    expect(notice.text.split('\n')).toEqual([
      '8 records of 9 rejected (1 JSON that is not an IoT entry, 7 not JSON); 1 entry read.',
      expect.stringMatching(/^Line 1: JSON object without an eventType/),
      'Line 2: text that is not JSON: "junk"',
      'Line 3: text that is not JSON: "junk"',
      'Line 4: text that is not JSON: "junk"',
      'Line 5: text that is not JSON: "junk"',
      '… and 3 more rejected records.',
    ]);
  });

  it('is an error when nothing could be read', () => {
    expect(parseNotices(parseLogs('junk'))[0].severity).toBe('error');
  });
});

describe('runQuery', () => {
  it('returns the filtered frames with the refId and the parse summary', () => {
    const frames = runQuery(query({ refId: 'Q', components: ['rules-engine'] }), new ParseCache());
    expect(frames).toHaveLength(6);
    for (const frame of frames) {
      expect(frame.refId).toBe('Q');
      const custom = frame.meta?.custom as QueryFrameMeta;
      expect(custom).toMatchObject({
        component: 'rules-engine',
        parse: { entries: 22, rejected: 0, format: 'json-objects' },
      });
      expect(frame.meta?.type).toBe('log-lines');
    }
  });

  it('returns an empty frame carrying the notice when nothing is left', () => {
    const frames = runQuery(query({ source: { type: 'inline', content: 'junk\n{"x":1}' } }), new ParseCache());
    expect(frames).toEqual([
      expect.objectContaining({
        refId: 'A',
        length: 0,
        fields: [],
        meta: expect.objectContaining({ notices: [expect.objectContaining({ severity: 'error' })] }),
      }),
    ]);
  });

  it('puts the notice on the first frame only', () => {
    const frames = runQuery(query({ source: { type: 'inline', content: `${content}\njunk` } }), new ParseCache());
    expect(frames[0].meta?.notices).toHaveLength(1);
    expect(frames.slice(1).every((f) => f.meta?.notices === undefined)).toBe(true);
  });
});
