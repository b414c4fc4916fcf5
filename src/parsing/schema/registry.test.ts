import {
  COMPONENTS,
  EVENT_TYPES,
  JOB_EXECUTION_COUNT_STATUSES,
  componentOfEventType,
  eventTypesOfComponents,
  getComponent,
  getEventTypeSchema,
} from './registry';
import type { ComponentId, EventTypeSchema, FieldSchema } from './types';

/** The 22 event types of AWS's 2020 page, with the section they are documented in. */
const AWS_2020: Record<string, ComponentId> = {
  Connect: 'message-broker',
  Subscribe: 'message-broker',
  'Publish-In': 'message-broker',
  'Publish-Out': 'message-broker',
  Disconnect: 'message-broker',
  GetThingShadow: 'device-shadow',
  UpdateThingShadow: 'device-shadow',
  DeleteThingShadow: 'device-shadow',
  RuleMatch: 'rules-engine',
  FunctionExecution: 'rules-engine',
  StartingRuleExecution: 'rules-engine',
  RuleExecution: 'rules-engine',
  RuleNotFound: 'rules-engine',
  RuleMessageThrottled: 'rules-engine',
  GetPendingJobExecution: 'jobs',
  DescribeJobExecution: 'jobs',
  UpdateJobExecution: 'jobs',
  StartNextPendingJobExecution: 'jobs',
  ReportFinalJobExecutionCount: 'jobs',
  GetDeviceCredentials: 'device-provisioning',
  ProvisionDevice: 'device-provisioning',
  AddThingToDynamicThingGroupsFailed: 'thing-groups',
};

/** Event types added since 2020 (log-formats.md §1, marked *). */
const NEWER: Record<string, ComponentId> = {
  GetRetainedMessage: 'message-broker',
  ListRetainedMessage: 'message-broker',
  Ping: 'message-broker',
  'Connection.AuthNError': 'message-broker',
  DeleteConnection: 'message-broker',
  Queued: 'message-broker',
  Unsubscribe: 'message-broker',
  GetConnection: 'message-broker',
  ListSubscriptions: 'message-broker',
  SendDirectMessage: 'message-broker',
  RetrieveOCSPStapleData: 'ocsp',
  NamedShadowCountForDynamicGroupQueryLimitExceeded: 'fleet-indexing',
  NamedShadowEventSizeLimitExceeded: 'fleet-indexing',
  DeviceDefenderThingViolationsEventSizeLimitExceeded: 'fleet-indexing',
  IndexingCustomFieldFailed: 'fleet-indexing',
};

const DEPRECATED = ['NamedShadowEventSizeLimitExceeded', 'DeviceDefenderThingViolationsEventSizeLimitExceeded'];

const COMMON = ['timestamp', 'logLevel', 'traceId', 'accountId', 'status', 'eventType'];

function schema(eventType: string): EventTypeSchema {
  const s = getEventTypeSchema(eventType);
  if (!s) {
    throw new Error(`${eventType} is not registered`);
  }
  return s;
}

function fieldOf(eventType: string, name: string): FieldSchema {
  const f = schema(eventType).fields.find((x) => x.name === name);
  if (!f) {
    throw new Error(`${eventType} has no field ${name}`);
  }
  return f;
}

describe('components', () => {
  it('lists every component once, in display order', () => {
    expect(COMPONENTS.map((c) => [c.id, c.label])).toEqual([
      ['message-broker', 'Message broker'],
      ['ocsp', 'Server certificate OCSP'],
      ['device-shadow', 'Device Shadow'],
      ['rules-engine', 'Rules engine'],
      ['jobs', 'Jobs'],
      ['device-provisioning', 'Device provisioning'],
      ['thing-groups', 'Dynamic thing groups'],
      ['fleet-indexing', 'Fleet indexing'],
      ['unknown', 'Other'],
    ]);
    for (const c of COMPONENTS) {
      expect(c.description.trim()).not.toBe('');
      expect(getComponent(c.id)).toBe(c);
    }
  });
});

describe('event types', () => {
  it('has the 22 types of the AWS page, each under its documented component and not flagged', () => {
    for (const [eventType, component] of Object.entries(AWS_2020)) {
      const s = schema(eventType);
      expect([eventType, s.component]).toEqual([eventType, component]);
      expect(s.newer).toBeFalsy();
      expect(s.deprecated).toBeFalsy();
    }
  });

  it('has the newer types flagged, and the two removed in 2022 flagged deprecated', () => {
    for (const [eventType, component] of Object.entries(NEWER)) {
      const s = schema(eventType);
      expect([eventType, s.component, s.newer]).toEqual([eventType, component, true]);
      expect([eventType, Boolean(s.deprecated)]).toEqual([eventType, DEPRECATED.includes(eventType)]);
    }
  });

  it('registers exactly these types, once each', () => {
    const names = EVENT_TYPES.map((s) => s.eventType);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual([...Object.keys(AWS_2020), ...Object.keys(NEWER)].sort());
    expect(names).toHaveLength(37);
  });

  it('gives every type a one-sentence description naming it', () => {
    for (const s of EVENT_TYPES) {
      expect(s.description).toMatch(/^[A-Z].*\.$/);
      if (s.eventType !== 'AddThingToDynamicThingGroupsFailed') {
        expect(s.description).toContain(s.eventType);
      }
    }
  });
});

describe('fields', () => {
  it.each(EVENT_TYPES.map((s) => [s.eventType, s] as const))('%s: unique names, common fields first', (_, s) => {
    const names = s.fields.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.slice(0, 6)).toEqual(COMMON);
    expect(s.fields[0].kind).toBe('time');
    expect(s.fields.slice(1, 6).every((f) => f.kind === 'string')).toBe(true);
    for (const f of s.fields) {
      expect([f.name, f.description.trim().length > 0]).toEqual([f.name, true]);
    }
  });

  it.each(EVENT_TYPES.map((s) => [s.eventType, s] as const))('%s: derived fields come last', (_, s) => {
    const firstDerived = s.fields.findIndex((f) => f.derived);
    if (firstDerived >= 0) {
      expect(s.fields.slice(firstDerived).every((f) => f.derived)).toBe(true);
    }
  });

  it('has the documented kinds', () => {
    expect(fieldOf('Connect', 'sourcePort').kind).toBe('number');
    expect(fieldOf('Publish-In', 'retain').kind).toBe('boolean');
    expect(fieldOf('UpdateJobExecution', 'versionNumber').kind).toBe('string');
    expect(fieldOf('RuleExecution', 'resources').kind).toBe('object');
    expect(fieldOf('FunctionExecution', 'resources').kind).toBe('object');
    expect(fieldOf('AddThingToDynamicThingGroupsFailed', 'dynamicThingGroupNames').kind).toBe('other');
    expect(fieldOf('Subscribe', 'subscriptions').kind).toBe('other');
    expect(fieldOf('IndexingCustomFieldFailed', 'failedCustomFields').kind).toBe('other');
    expect(fieldOf('Ping', 'latency').kind).toBe('number');

    const jobId = fieldOf('DescribeJobExecution', 'jobId');
    expect(jobId.kind).toBe('string');
    expect(jobId.derived).toBeFalsy();
  });

  it('keeps ids and number-like strings as strings everywhere', () => {
    const ids = [
      'accountId',
      'traceId',
      'jobId',
      'clientId',
      'clientToken',
      'versionNumber',
      'qos',
      'principalId',
      'deviceCertificateId',
      'lastModifiedDate',
      'nextUpdateTime',
    ];
    for (const s of EVENT_TYPES) {
      for (const f of s.fields.filter((x) => ids.includes(x.name))) {
        expect([s.eventType, f.name, f.kind]).toEqual([s.eventType, f.name, 'string']);
      }
    }
  });

  it('does not repeat common attributes (Publish-In documents status again)', () => {
    expect(schema('Publish-In').fields.filter((f) => f.name === 'status')).toHaveLength(1);
  });

  it('adds the 7 job execution counts to ReportFinalJobExecutionCount', () => {
    const counts = schema('ReportFinalJobExecutionCount').fields.filter((f) => f.derived);
    expect(counts.map((f) => f.name)).toEqual([
      'QUEUED',
      'IN_PROGRESS',
      'FAILED',
      'SUCCEEDED',
      'CANCELED',
      'REJECTED',
      'REMOVED',
    ]);
    expect(counts.map((f) => f.name)).toEqual([...JOB_EXECUTION_COUNT_STATUSES]);
    expect(counts.every((f) => f.kind === 'number')).toBe(true);
  });

  it('derives thingName and shadowName for Device Shadow types', () => {
    for (const eventType of ['GetThingShadow', 'UpdateThingShadow', 'DeleteThingShadow']) {
      const derived = schema(eventType).fields.filter((f) => f.derived);
      expect(derived.map((f) => [f.name, f.kind])).toEqual([
        ['thingName', 'string'],
        ['shadowName', 'string'],
      ]);
    }
  });

  it('derives thingName for Jobs types with a topic (their topics never name a job: no derived jobId)', () => {
    const derivedOf = (eventType: string) =>
      schema(eventType)
        .fields.filter((f) => f.derived)
        .map((f) => f.name);
    expect(derivedOf('GetPendingJobExecution')).toEqual(['thingName']);
    expect(derivedOf('StartNextPendingJobExecution')).toEqual(['thingName']);
    expect(derivedOf('DescribeJobExecution')).toEqual(['thingName']);
    expect(derivedOf('UpdateJobExecution')).toEqual(['thingName']);
  });

  it('adds the fields documented since 2020', () => {
    const names = (eventType: string) => schema(eventType).fields.map((f) => f.name);
    expect(names('Disconnect')).toEqual(expect.arrayContaining(['disconnectReason', 'reason', 'details']));
    for (const eventType of ['Connect', 'Subscribe', 'Publish-In']) {
      expect(names(eventType)).toEqual(expect.arrayContaining(['reason', 'details']));
    }
    expect(names('GetRetainedMessage')).toEqual([...COMMON, 'protocol', 'topicName', 'qos', 'lastModifiedDate']);
    expect(names('Connection.AuthNError')).toEqual(
      expect.arrayContaining(['authenticationType', 'serverNameIndication', 'clientId', 'reason', 'details'])
    );
  });
});

describe('documented example order', () => {
  // Example entries from AWS's page, verbatim.
  const EXAMPLES: Record<string, string> = {
    Connect: `{
      "timestamp": "2017-08-10 15:37:23.476",
      "logLevel": "INFO",
      "traceId": "20b23f3f-d7f1-feae-169f-82263394fbdb",
      "accountId": "123456789012",
      "status": "Success",
      "eventType": "Connect",
      "protocol": "MQTT",
      "clientId": "abf27092886e49a8a5c1922749736453",
      "principalId": "145179c40e2219e18a909d896a5340b74cf97a39641beec2fc3eeafc5a932167",
      "sourceIp": "205.251.233.181",
      "sourcePort": 13490
    }`,
    RuleExecution: `{
      "timestamp": "2017-08-10 16:32:46.070",
      "logLevel": "INFO",
      "traceId": "30aa7ccc-1d23-0b97-aa7b-76196d83537e",
      "accountId": "123456789012",
      "status": "Success",
      "eventType": "RuleExecution",
      "clientId": "abf27092886e49a8a5c1922749736453",
      "topicName": "rules/test",
      "ruleName": "JSONLogsRule",
      "ruleAction": "RepublishAction",
      "resources": {
        "RepublishTopic": "rules/republish"
      },
      "principalId": "145179c40e2219e18a909d896a5340b74cf97a39641beec2fc3eeafc5a932167"
    }`,
    UpdateJobExecution: `{
      "timestamp": "2017-08-10 19:25:14.758",
      "logLevel": "DEBUG",
      "accountId": "123456789012",
      "status": "Success",
      "eventType": "UpdateJobExecution",
      "protocol": "MQTT",
      "clientId": "thingOne",
      "jobId": "002",
      "topicName": "$aws/things/thingOne/jobs/002/update",
      "clientToken": "myClientToken",
      "versionNumber": "1",
      "details": "The destination status is IN_PROGRESS. The request status is SUCCESS."
    }`,
  };

  it.each(Object.entries(EXAMPLES))('%s lists the example keys in the example order', (eventType, example) => {
    const keys = Object.keys(JSON.parse(example));
    const names = schema(eventType).fields.map((f) => f.name);
    // every example key is documented, and in the same relative order
    expect(names.filter((n) => keys.includes(n))).toEqual(keys);
    // the type-specific keys come right after the common ones
    const specific = keys.filter((k) => !COMMON.includes(k));
    expect(names.slice(COMMON.length, COMMON.length + specific.length)).toEqual(specific);
  });
});

describe('lookups', () => {
  it('finds registered types by exact name', () => {
    expect(getEventTypeSchema('Connect')).toBe(EVENT_TYPES.find((s) => s.eventType === 'Connect'));
    expect(getEventTypeSchema('connect')).toBeUndefined();
    expect(getEventTypeSchema('connected')).toBeUndefined();
    expect(getEventTypeSchema('')).toBeUndefined();
  });

  it('maps unknown types to the unknown component', () => {
    expect(componentOfEventType('PublishEvent')).toBe('unknown');
    expect(componentOfEventType('')).toBe('unknown');
    expect(componentOfEventType('Connection.AuthNError')).toBe('message-broker');
    expect(componentOfEventType('RetrieveOCSPStapleData')).toBe('ocsp');
    expect(componentOfEventType('AddThingToDynamicThingGroupsFailed')).toBe('thing-groups');
    expect(getComponent('unknown').label).toBe('Other');
  });

  it('lists the event types of components', () => {
    expect(eventTypesOfComponents(['jobs'])).toEqual([
      'GetPendingJobExecution',
      'DescribeJobExecution',
      'UpdateJobExecution',
      'StartNextPendingJobExecution',
      'ReportFinalJobExecutionCount',
    ]);
    expect(eventTypesOfComponents(['ocsp', 'thing-groups'])).toEqual([
      'RetrieveOCSPStapleData',
      'AddThingToDynamicThingGroupsFailed',
    ]);
    expect(eventTypesOfComponents(['unknown'])).toEqual([]);
    expect(eventTypesOfComponents([])).toEqual(EVENT_TYPES.map((s) => s.eventType));
  });
});
