import { addDerivedFields, parseJobCounts, parseThingTopic } from './derive';

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

describe('addDerivedFields', () => {
  it('never overwrites attributes the entry has', () => {
    const row: Record<string, unknown> = { topicName: '$aws/things/a/jobs/007/get', jobId: '002' };
    addDerivedFields(row, 'DescribeJobExecution');
    expect(row).toEqual({ topicName: '$aws/things/a/jobs/007/get', jobId: '002', thingName: 'a' });
  });

  it('adds job counts only to ReportFinalJobExecutionCount', () => {
    const details = 'QUEUED job execution count: 4';
    const other: Record<string, unknown> = { details };
    addDerivedFields(other, 'UpdateJobExecution');
    expect(other).toEqual({ details });
    const report: Record<string, unknown> = { details };
    addDerivedFields(report, 'ReportFinalJobExecutionCount');
    expect(report).toEqual({ details, QUEUED: 4 });
  });
});
