import { deriveFields, parseJobCounts, parseThingTopic } from './derive';
import { parseLogs } from './index';

describe('parseThingTopic', () => {
  it.each([
    ['$aws/things/MyThing/shadow/get', { thingName: 'MyThing' }],
    ['$aws/things/MyThing/shadow/update/accepted', { thingName: 'MyThing' }],
    ['$aws/things/MyThing/shadow/name/config/update', { thingName: 'MyThing', shadowName: 'config' }],
    ['$aws/things/MyThing/shadow/#', { thingName: 'MyThing' }],
    ['$aws/things/MyThing/shadow/name/+/get', { thingName: 'MyThing' }],
    ['$aws/things/thingOne/jobs/002/get', { thingName: 'thingOne', jobId: '002' }],
    ['$aws/things/thingOne/jobs/002/update', { thingName: 'thingOne', jobId: '002' }],
    ['$aws/things/thingOne/jobs/get', { thingName: 'thingOne' }],
    ['$aws/things/thingOne/jobs/start-next', { thingName: 'thingOne' }],
    ['$aws/things/thingOne/jobs/notify-next', { thingName: 'thingOne' }],
    ['$aws/things/+/shadow/update', {}],
    ['$aws/things/MyThing/tunnels/notify', {}],
    ['rules/test', {}],
    ['$aws/rules/example_rule', {}],
  ])('%s', (topic, expected) => {
    expect(parseThingTopic(topic)).toEqual(expected);
  });
});

describe('parseJobCounts', () => {
  it('reads every status count from ReportFinalJobExecutionCount details', () => {
    const details =
      'Job 002 completed. QUEUED job execution count: 0 IN_PROGRESS job execution count: 0 FAILED job execution count: 3 SUCCEEDED job execution count: 1 CANCELED job execution count: 0 REJECTED job execution count: 12 REMOVED job execution count: 0';
    expect(parseJobCounts(details)).toEqual({
      QUEUED: 0,
      IN_PROGRESS: 0,
      FAILED: 3,
      SUCCEEDED: 1,
      CANCELED: 0,
      REJECTED: 12,
      REMOVED: 0,
    });
  });

  it('returns nothing for other sentences', () => {
    expect(parseJobCounts('The request status is SUCCESS.')).toEqual({});
  });
});

describe('deriveFields', () => {
  const derived = (entry: Record<string, unknown>, eventType: string) => {
    const out: Record<string, unknown> = {};
    deriveFields(entry, eventType, (key, value) => {
      out[key] = value;
    });
    return out;
  };

  it('derives from the topic', () => {
    expect(derived({ topicName: '$aws/things/a/jobs/007/get' }, 'DescribeJobExecution')).toEqual({
      thingName: 'a',
      jobId: '007',
    });
  });

  it('adds job counts only to ReportFinalJobExecutionCount', () => {
    const details = 'QUEUED job execution count: 4';
    expect(derived({ details }, 'UpdateJobExecution')).toEqual({});
    expect(derived({ details }, 'ReportFinalJobExecutionCount')).toEqual({ QUEUED: 4 });
  });

  it("never replaces an attribute the entry has (the frame keeps the entry's own)", () => {
    const entry = {
      timestamp: '2017-08-10 19:13:22.841',
      eventType: 'DescribeJobExecution',
      jobId: '002',
      topicName: '$aws/things/a/jobs/007/get',
    };
    const [frame] = parseLogs(JSON.stringify(entry)).frames;
    expect(frame.fields.find((f) => f.name === 'jobId')!.values).toEqual(['002']);
    expect(frame.fields.find((f) => f.name === 'thingName')!.values).toEqual(['a']);
  });
});
