/**
 * Schema registry: every AWS IoT Core log event type (log group AWSIotLogsV2), the component that
 * emits it and the attributes AWS documents for it, in documented order.
 *
 * Sources: AWS's "CloudWatch Log Entry Format" page (2020 edition, 22 event types, one example each)
 * and log-formats.md §1 (event types and fields added since). The set is open: the parser keeps
 * unknown event types and unknown fields; this registry only says what is documented.
 *
 * Field order of each type: the 6 common attributes, then the type's attributes in the order of
 * AWS's example JSON, then attributes added since 2020, then `derived` columns computed by the parser.
 *
 * Pure data and lookups, no runtime imports: runs in Node, jsdom and Web Workers.
 */
import type { ComponentId, ComponentInfo, EventTypeSchema, FieldSchema } from './types';

// ---------------------------------------------------------------------------------------------
// Components (the sections of AWS's page), in display order.

export const COMPONENTS: readonly ComponentInfo[] = [
  {
    id: 'message-broker',
    label: 'Message broker',
    description: 'Connections, subscriptions and messages handled by the AWS IoT message broker.',
  },
  {
    id: 'ocsp',
    label: 'Server certificate OCSP',
    description: 'Retrieval of OCSP staple data for the server certificates of custom domain configurations.',
  },
  {
    id: 'device-shadow',
    label: 'Device Shadow',
    description: 'Get, update and delete requests received by the Device Shadow service.',
  },
  {
    id: 'rules-engine',
    label: 'Rules engine',
    description: 'Rule matches, rule action executions and rule errors in the AWS IoT rules engine.',
  },
  {
    id: 'jobs',
    label: 'Jobs',
    description: 'Job execution requests from devices and job completion reports of the AWS IoT Jobs service.',
  },
  {
    id: 'device-provisioning',
    label: 'Device provisioning',
    description: 'Device credential and provisioning requests handled by the AWS IoT Device Provisioning service.',
  },
  {
    id: 'thing-groups',
    label: 'Dynamic thing groups',
    description: 'Things that met the criteria of dynamic thing groups but could not be added to them.',
  },
  {
    id: 'fleet-indexing',
    label: 'Fleet indexing',
    description: 'Data the fleet indexing service could not index: type mismatches and exceeded limits.',
  },
  {
    id: 'unknown',
    label: 'Other',
    description: 'Event types that are not in this registry; their fields are kept as they come.',
  },
];

// ---------------------------------------------------------------------------------------------
// Field builders. Field objects are frozen because the constants below are shared between types.

function field(name: string, kind: FieldSchema['kind'], description: string): FieldSchema {
  return Object.freeze({ name, kind, description });
}
const str = (name: string, description: string) => field(name, 'string', description);
const num = (name: string, description: string) => field(name, 'number', description);

/** A column the parser computes from another attribute (topicName, details). */
function derived(name: string, kind: FieldSchema['kind'], description: string): FieldSchema {
  return Object.freeze({ name, kind, description, derived: true });
}

// ---------------------------------------------------------------------------------------------
// Common attributes: present (or at least expected) on every entry, always first, in this order.

export const COMMON_FIELDS: readonly FieldSchema[] = [
  field('timestamp', 'time', 'The UNIX timestamp of when the client connected to the AWS IoT message broker.'),
  str('logLevel', 'The log level being used.'),
  str('traceId', 'A randomly generated identifier that can be used to correlate all logs for a specific request.'),
  str('accountId', 'Your AWS account ID.'),
  str('status', 'The status of the request.'),
  str('eventType', 'The event type for which the log was generated.'),
];

// ---------------------------------------------------------------------------------------------
// Attributes shared by several event types (AWS's wording).

const protocol = str('protocol', 'The protocol used when making the request. Valid values are MQTT or HTTP.');
const clientId = str('clientId', 'The ID of the client making the request.');
const principalId = str('principalId', 'The ID of the principal making the request.');
const sourceIp = str('sourceIp', 'The IP address where the request originated.');
const sourcePort = num('sourcePort', 'The port where the request originated.');

/** AWS describes topicName differently per section. */
const topicName = str('topicName', 'The name of the subscribed topic.');
const requestTopicName = str('topicName', 'The name of the topic on which the request was published.');
const publishedTopicName = str('topicName', 'The name of the topic that was published.');
const jobsTopicName = str('topicName', 'The topic used to make the request.');

/** Who made a message broker request and from where, in AWS's example order. */
const CLIENT = [clientId, principalId, sourceIp, sourcePort] as const;

/** Failure attributes added to Connect, Subscribe and Publish-In since 2020. */
const FAILURE = [
  str('reason', 'On failure, the reason code, e.g. AUTHORIZATION_FAILURE or CLIENT_ERROR.'),
  str('details', 'On failure, a brief explanation of the error.'),
] as const;

const ruleName = str('ruleName', 'The name of the matching rule.');
const ruleAction = str('ruleAction', 'The name of the action triggered.');
const resources = field('resources', 'object', "A collection of resources used by the rule's actions.");
const ruleErrorDetails = str('details', 'A brief explanation of the error.');

const jobId = str('jobId', 'The job ID for the job execution.');
const clientToken = str('clientToken', 'A unique, case sensitive identifier to ensure the idempotency of the request.');
const jobsDetails = str('details', 'Other information from the Jobs service.');

const deviceCertificateId = str('deviceCertificateId', 'The ID of the device certificate used by the request.');
const provisioningDetails = str('details', 'Other information from the Device Provisioning service.');

const indexedThingName = str('thingName', 'The name of the thing whose data could not be indexed.');
const limitReason = str('reason', 'A sentence explaining which fleet indexing limit was exceeded.');

// ---------------------------------------------------------------------------------------------
// Derived columns.

const SHADOW_TOPIC = '$aws/things/<thingName>/shadow[/name/<shadowName>]/…';
const SHADOW_DERIVED = [
  derived('thingName', 'string', `Thing name, taken from topicName ${SHADOW_TOPIC}.`),
  derived(
    'shadowName',
    'string',
    `Named shadow name, taken from topicName ${SHADOW_TOPIC}; null for the classic (unnamed) shadow.`
  ),
] as const;

const jobsThingName = derived(
  'thingName',
  'string',
  'Thing name, taken from topicName $aws/things/<thingName>/jobs/….'
);
/** Statuses counted in the details of ReportFinalJobExecutionCount ("<STATUS> job execution count: <n>"). */
export const JOB_EXECUTION_COUNT_STATUSES = [
  'QUEUED',
  'IN_PROGRESS',
  'FAILED',
  'SUCCEEDED',
  'CANCELED',
  'REJECTED',
  'REMOVED',
] as const;

const JOB_COUNT_DERIVED = JOB_EXECUTION_COUNT_STATUSES.map((status) =>
  derived(status, 'number', `Number of job executions that ended ${status}, from details.`)
);

// ---------------------------------------------------------------------------------------------
// Event types, grouped by component in COMPONENTS order.

interface Flags {
  newer?: boolean;
  deprecated?: boolean;
}
/** Not on AWS's 2020 page. */
const NEWER: Flags = { newer: true };
/** Added after 2020 and removed from AWS's docs in 2022; still found in old data. */
const REMOVED_2022: Flags = { newer: true, deprecated: true };

function defineType(
  name: string,
  component: ComponentId,
  description: string,
  specific: readonly FieldSchema[],
  flags: Flags = {}
): EventTypeSchema {
  return { eventType: name, component, description, fields: [...COMMON_FIELDS, ...specific], ...flags };
}

const MESSAGE_BROKER: EventTypeSchema[] = [
  defineType(
    'Connect',
    'message-broker',
    'The AWS IoT message broker generates a Connect log when an MQTT client connects.',
    [protocol, ...CLIENT, ...FAILURE]
  ),
  defineType(
    'Disconnect',
    'message-broker',
    'The AWS IoT message broker generates a Disconnect log when an MQTT client disconnects.',
    [
      protocol,
      ...CLIENT,
      str(
        'disconnectReason',
        'The reason why the client is disconnecting, e.g. CLIENT_INITIATED_DISCONNECT or MQTT_KEEP_ALIVE_TIMEOUT.'
      ),
      str(
        'reason',
        'On failure, the reason code, e.g. DUPLICATE_CLIENT_ID (disconnectReason spells it DUPLICATE_CLIENTID).'
      ),
      str('details', 'On failure, a brief explanation of the error.'),
    ]
  ),
  defineType(
    'Subscribe',
    'message-broker',
    'The AWS IoT message broker generates a Subscribe log when an MQTT client subscribes to a topic.',
    [
      protocol,
      topicName,
      ...CLIENT,
      ...FAILURE,
      field(
        'subscriptions',
        'other',
        'The topic filters of the request with their MQTT reason codes: an array of {topicName, reasonCode} ' +
          '(seen in real data, undocumented).'
      ),
    ]
  ),
  defineType(
    'Publish-In',
    'message-broker',
    'When the AWS IoT message broker receives an MQTT message, it generates a Publish-In log.',
    [
      protocol,
      topicName,
      ...CLIENT,
      ...FAILURE,
      field(
        'retain',
        'boolean',
        'Whether the message was published with the RETAIN flag; logged as "True", only when set.'
      ),
    ]
  ),
  defineType(
    'Publish-Out',
    'message-broker',
    'When the message broker publishes an MQTT message, it generates a Publish-Out log.',
    [protocol, topicName, ...CLIENT]
  ),
  defineType(
    'GetRetainedMessage',
    'message-broker',
    'The AWS IoT message broker generates a GetRetainedMessage log when a request to get a retained message is received.',
    [
      protocol,
      str('topicName', 'The topic of the retained message.'),
      str('qos', 'The quality of service level of the retained message, logged as a string such as "1".'),
      str(
        'lastModifiedDate',
        'When the retained message was last modified: a date string (the documentation says epoch milliseconds).'
      ),
    ],
    NEWER
  ),
  defineType(
    'ListRetainedMessage',
    'message-broker',
    'The AWS IoT message broker generates a ListRetainedMessage log when a request to list the retained messages is received.',
    [protocol],
    NEWER
  ),
  defineType(
    'Ping',
    'message-broker',
    'The AWS IoT message broker generates a Ping log when an MQTT client sends a keep-alive ping (opt-in).',
    [
      protocol,
      ...CLIENT,
      Object.freeze({
        ...num('latency', 'Time in milliseconds the broker took to answer the ping (may arrive as a numeric string).'),
        unit: 'ms',
      }),
      field(
        'requestTimestamp',
        'time',
        'When the ping request was received (epoch milliseconds, which may arrive as a numeric string).'
      ),
      field(
        'responseTimestamp',
        'time',
        'When the ping response was sent (epoch milliseconds, which may arrive as a numeric string).'
      ),
      ...FAILURE,
    ],
    NEWER
  ),
  defineType(
    'Connection.AuthNError',
    'message-broker',
    'The AWS IoT message broker generates a Connection.AuthNError log when it rejects a connection attempt ' +
      'because authentication failed (opt-in).',
    [
      str(
        'authenticationType',
        'The authentication method the client used: AWS_X509, AWS_SIGV4, CUSTOM_AUTH or CUSTOM_AUTH_X509.'
      ),
      str('serverNameIndication', 'The Server Name Indication (SNI) the client sent in the TLS handshake.'),
      sourceIp,
      sourcePort,
      clientId,
      str(
        'reason',
        'The authentication error code, e.g. DEVICE_CERTIFICATE_REVOKED, SECURITY_TOKEN_EXPIRED or SNI_MISUSED.'
      ),
      str('details', 'A brief explanation of the error.'),
    ],
    NEWER
  ),
  // The reference notes list no attributes for the next six types: the usual request attributes are
  // assumed (unknown attributes are kept by the parser anyway).
  defineType(
    'DeleteConnection',
    'message-broker',
    'The AWS IoT message broker generates a DeleteConnection log when a request to disconnect a client is received.',
    [protocol, ...CLIENT],
    NEWER
  ),
  defineType(
    'Queued',
    'message-broker',
    'The AWS IoT message broker generates a Queued log when it queues a message for a disconnected client ' +
      'with a persistent session.',
    [protocol, topicName, ...CLIENT],
    NEWER
  ),
  defineType(
    'Unsubscribe',
    'message-broker',
    'The AWS IoT message broker generates an Unsubscribe log when an MQTT client unsubscribes from a topic.',
    [protocol, topicName, ...CLIENT],
    NEWER
  ),
  defineType(
    'GetConnection',
    'message-broker',
    "The AWS IoT message broker generates a GetConnection log when a request for a client's connection is received.",
    [protocol, ...CLIENT],
    NEWER
  ),
  defineType(
    'ListSubscriptions',
    'message-broker',
    "The AWS IoT message broker generates a ListSubscriptions log when a request to list a client's subscriptions " +
      'is received.',
    [protocol, ...CLIENT],
    NEWER
  ),
  defineType(
    'SendDirectMessage',
    'message-broker',
    'The AWS IoT message broker generates a SendDirectMessage log when a request to send a message directly ' +
      'to a client is received.',
    [protocol, topicName, ...CLIENT],
    NEWER
  ),
];

const OCSP: EventTypeSchema[] = [
  defineType(
    'RetrieveOCSPStapleData',
    'ocsp',
    'AWS IoT Core generates a RetrieveOCSPStapleData log when it retrieves OCSP staple data for a domain ' +
      "configuration's server certificate (event type name not confirmed).",
    [
      str(
        'nextUpdateTime',
        'When the OCSP responder will next have newer status information for the server certificate.'
      ),
    ],
    NEWER
  ),
];

const DEVICE_SHADOW: EventTypeSchema[] = [
  defineType(
    'GetThingShadow',
    'device-shadow',
    'The Device Shadow service generates a GetThingShadow log when a get request for a shadow is received.',
    [protocol, str('deviceShadowName', 'The name of the requested shadow.'), requestTopicName, ...SHADOW_DERIVED]
  ),
  defineType(
    'UpdateThingShadow',
    'device-shadow',
    "The Device Shadow service generates an UpdateThingShadow log when a request to update a device's shadow is received.",
    [protocol, str('deviceShadowName', 'The name of the shadow to update.'), requestTopicName, ...SHADOW_DERIVED]
  ),
  defineType(
    'DeleteThingShadow',
    'device-shadow',
    "The Device Shadow service generates a DeleteThingShadow log when a request to delete a device's shadow is received.",
    [protocol, str('deviceShadowName', 'The name of the shadow to delete.'), requestTopicName, ...SHADOW_DERIVED]
  ),
];

const RULES_ENGINE: EventTypeSchema[] = [
  defineType(
    'RuleMatch',
    'rules-engine',
    'The AWS IoT rules engine generates a RuleMatch log when the message broker receives a message that matches a rule.',
    [clientId, topicName, ruleName, principalId]
  ),
  defineType(
    'FunctionExecution',
    'rules-engine',
    "The rules engine generates a FunctionExecution log when a rule's SQL query calls an external function.",
    [str('clientId', 'N/A for FunctionExecution logs.'), topicName, ruleName, ruleAction, resources, principalId]
  ),
  defineType(
    'StartingRuleExecution',
    'rules-engine',
    "When the AWS IoT rules engine starts to trigger a rule's action, it generates a StartingRuleExecution log.",
    [clientId, topicName, ruleName, ruleAction, principalId]
  ),
  defineType(
    'RuleExecution',
    'rules-engine',
    "When the AWS IoT rules engine triggers a rule's action, it generates a RuleExecution log.",
    [
      clientId,
      topicName,
      ruleName,
      ruleAction,
      resources,
      principalId,
      str('details', 'On failure, the error returned by the downstream service of the action.'),
    ]
  ),
  defineType(
    'RuleNotFound',
    'rules-engine',
    'When the AWS IoT rules engine cannot find a rule with a given name, it generates a RuleNotFound error log.',
    [
      clientId,
      publishedTopicName,
      str('ruleName', 'The name of the rule that could not be found.'),
      principalId,
      str('reason', 'The string "RuleNotFound".'),
      ruleErrorDetails,
    ]
  ),
  defineType(
    'RuleMessageThrottled',
    'rules-engine',
    'When a message is throttled, the AWS IoT rules engine generates a RuleMessageThrottled error log.',
    [
      clientId,
      publishedTopicName,
      str('ruleName', 'The name of the rule to be triggered.'),
      principalId,
      str('reason', 'The string "RuleExecutionThrottled" (the documentation says "RuleMessageThrottled").'),
      ruleErrorDetails,
    ]
  ),
];

const JOBS: EventTypeSchema[] = [
  defineType(
    'GetPendingJobExecution',
    'jobs',
    'The AWS IoT Jobs service generates a GetPendingJobExecution log when the service receives a job execution request.',
    [protocol, clientId, topicName, clientToken, jobsDetails, jobsThingName]
  ),
  defineType(
    'DescribeJobExecution',
    'jobs',
    'The AWS IoT Jobs service generates a DescribeJobExecution log when the service receives a request to describe ' +
      'a job execution.',
    [protocol, clientId, jobId, jobsTopicName, clientToken, jobsDetails, jobsThingName]
  ),
  defineType(
    'UpdateJobExecution',
    'jobs',
    'The AWS IoT Jobs service generates an UpdateJobExecution log when the service receives a request to update ' +
      'a job execution.',
    [
      protocol,
      clientId,
      jobId,
      jobsTopicName,
      clientToken,
      str('versionNumber', 'The version of the job execution.'),
      jobsDetails,
      jobsThingName,
    ]
  ),
  defineType(
    'StartNextPendingJobExecution',
    'jobs',
    'When it receives a request to start the next pending job execution, the AWS IoT Jobs service generates ' +
      'a StartNextPendingJobExecution log.',
    [protocol, clientId, jobsTopicName, clientToken, jobsDetails, jobsThingName]
  ),
  defineType(
    'ReportFinalJobExecutionCount',
    'jobs',
    'The AWS IoT Jobs service generates a ReportFinalJobExecutionCount log when a job is completed.',
    [jobId, jobsDetails, ...JOB_COUNT_DERIVED]
  ),
];

const DEVICE_PROVISIONING: EventTypeSchema[] = [
  defineType(
    'GetDeviceCredentials',
    'device-provisioning',
    'The AWS IoT Device Provisioning service generates a GetDeviceCredentials log when a client calls ' +
      'GetDeviceCredentials.',
    [deviceCertificateId, provisioningDetails]
  ),
  defineType(
    'ProvisionDevice',
    'device-provisioning',
    'The AWS IoT Device Provisioning service generates a ProvisionDevice log when a client calls ProvisionDevice.',
    [
      str('provisioningTemplateName', 'The name of the provisioning template used.'),
      deviceCertificateId,
      provisioningDetails,
    ]
  ),
];

const THING_GROUPS: EventTypeSchema[] = [
  defineType(
    'AddThingToDynamicThingGroupsFailed',
    'thing-groups',
    'AWS IoT was not able to add a thing to the specified dynamic groups.',
    [
      str('thingName', 'The name of the thing that could not be added to a dynamic thing group.'),
      field(
        'dynamicThingGroupNames',
        'other',
        'An array of the dynamic thing groups to which the thing could not be added.'
      ),
      str('reason', 'The reason why the thing could not be added to the dynamic thing groups.'),
    ]
  ),
];

const FLEET_INDEXING: EventTypeSchema[] = [
  defineType(
    'NamedShadowCountForDynamicGroupQueryLimitExceeded',
    'fleet-indexing',
    'Fleet indexing generates a NamedShadowCountForDynamicGroupQueryLimitExceeded log when a thing has more named ' +
      'shadows than dynamic group queries process.',
    [indexedThingName, limitReason],
    NEWER
  ),
  defineType(
    'NamedShadowEventSizeLimitExceeded',
    'fleet-indexing',
    'Fleet indexing generates a NamedShadowEventSizeLimitExceeded log when a named shadow is too large to be indexed.',
    [indexedThingName, str('namedShadowName', 'The name of the named shadow that could not be indexed.'), limitReason],
    REMOVED_2022
  ),
  defineType(
    'DeviceDefenderThingViolationsEventSizeLimitExceeded',
    'fleet-indexing',
    "Fleet indexing generates a DeviceDefenderThingViolationsEventSizeLimitExceeded log when a thing's Device " +
      'Defender violations are too large to be indexed.',
    [indexedThingName, limitReason],
    REMOVED_2022
  ),
  defineType(
    'IndexingCustomFieldFailed',
    'fleet-indexing',
    'The fleet indexing service generates an IndexingCustomFieldFailed log when a custom field value cannot be ' +
      'indexed because it does not match the configured type.',
    [
      indexedThingName,
      field(
        'failedCustomFields',
        'other',
        'The custom fields that could not be indexed: an array of {Name, Value, ExpectedType}.'
      ),
    ],
    NEWER
  ),
];

/** Every registered event type, grouped by component in COMPONENTS order. */
export const EVENT_TYPES: readonly EventTypeSchema[] = [
  ...MESSAGE_BROKER,
  ...OCSP,
  ...DEVICE_SHADOW,
  ...RULES_ENGINE,
  ...JOBS,
  ...DEVICE_PROVISIONING,
  ...THING_GROUPS,
  ...FLEET_INDEXING,
];

// ---------------------------------------------------------------------------------------------
// Lookups.

const BY_EVENT_TYPE: ReadonlyMap<string, EventTypeSchema> = new Map(EVENT_TYPES.map((s) => [s.eventType, s]));
const BY_COMPONENT: ReadonlyMap<ComponentId, ComponentInfo> = new Map(COMPONENTS.map((c) => [c.id, c]));

/** The schema of an event type (exact, case-sensitive name), or undefined when it is not registered. */
export function getEventTypeSchema(eventType: string): EventTypeSchema | undefined {
  return BY_EVENT_TYPE.get(eventType);
}

export function getComponent(id: ComponentId): ComponentInfo {
  return BY_COMPONENT.get(id) ?? BY_COMPONENT.get('unknown')!;
}

/** The component that emits an event type; 'unknown' when the type is not registered. */
export function componentOfEventType(eventType: string): ComponentId {
  return BY_EVENT_TYPE.get(eventType)?.component ?? 'unknown';
}

/**
 * The registered event types of the given components, in registry order; all registered event types
 * when the list is empty. 'unknown' contributes none (its types are by definition not registered).
 */
export function eventTypesOfComponents(components: readonly ComponentId[]): string[] {
  const wanted = new Set(components);
  return EVENT_TYPES.filter((s) => wanted.size === 0 || wanted.has(s.component)).map((s) => s.eventType);
}
