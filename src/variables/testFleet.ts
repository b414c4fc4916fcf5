/**
 * A small fleet's entries for the tests of variables and ad hoc filters (only tests import this file):
 * parsed by the real parser, so that tables, kinds and derived columns are what a user gets.
 *
 * What it holds (counts the tests rely on):
 * - eventTypes: Connect 5, Publish-In 3, RuleExecution 2, UpdateJobExecution 2, UpdateThingShadow 1.
 * - components: message-broker 8, rules-engine 2, jobs 2, device-shadow 1.
 * - clientId: sensor-1 5, sensor-2 4, pump-7 2, sensor-10 1 (the shadow entry has none).
 * - status: Success 12, Failure 1 (a Connect of sensor-1). thingName: pump-7 3. ruleName: TempRule 2.
 * - jobId: "002" 1, "003" 1. sourcePort (numbers, Connect only): 443 3, 8883 2.
 * - topics: sensors/2/temp 3 (two Publish-In, one RuleExecution), sensors/1/temp 1, alerts/temp 1 (a
 *   RepublishTopic), rules/x 1 (topicName and RepublishTopic of one row), and one each of
 *   $aws/things/pump-7/shadow/update, $aws/things/pump-7/jobs/002/update, $aws/things/pump-7/jobs/003/update.
 */
import { parseTables, type ComponentId, type TableResult } from '../parsing';

const at = (minute: number) => `2024-05-01 10:${String(minute).padStart(2, '0')}:00.000`;
const common = (minute: number, eventType: string, status = 'Success') => ({
  timestamp: at(minute),
  logLevel: status === 'Success' ? 'INFO' : 'ERROR',
  accountId: '123456789012',
  status,
  eventType,
});

export const FLEET_ENTRIES: ReadonlyArray<Record<string, unknown>> = [
  { ...common(0, 'Connect'), protocol: 'MQTT', clientId: 'sensor-1', sourcePort: 443 },
  { ...common(5, 'Connect'), protocol: 'MQTT', clientId: 'sensor-1', sourcePort: 443 },
  { ...common(10, 'Connect', 'Failure'), protocol: 'MQTT', clientId: 'sensor-1', sourcePort: 8883 },
  { ...common(1, 'Connect'), protocol: 'MQTT', clientId: 'sensor-2', sourcePort: 443 },
  { ...common(2, 'Connect'), protocol: 'MQTT', clientId: 'sensor-10', sourcePort: 8883 },
  { ...common(3, 'Publish-In'), protocol: 'MQTT', clientId: 'sensor-1', topicName: 'sensors/1/temp' },
  { ...common(4, 'Publish-In'), protocol: 'MQTT', clientId: 'sensor-2', topicName: 'sensors/2/temp' },
  { ...common(6, 'Publish-In'), protocol: 'MQTT', clientId: 'sensor-2', topicName: 'sensors/2/temp' },
  {
    ...common(7, 'RuleExecution'),
    clientId: 'sensor-2',
    topicName: 'sensors/2/temp',
    ruleName: 'TempRule',
    ruleAction: 'RepublishAction',
    resources: { RepublishTopic: 'alerts/temp' },
  },
  {
    ...common(11, 'RuleExecution'),
    clientId: 'sensor-1',
    topicName: 'rules/x',
    ruleName: 'TempRule',
    ruleAction: 'RepublishAction',
    resources: { RepublishTopic: 'rules/x' },
  },
  { ...common(8, 'UpdateThingShadow'), protocol: 'MQTT', topicName: '$aws/things/pump-7/shadow/update' },
  {
    ...common(9, 'UpdateJobExecution'),
    protocol: 'MQTT',
    clientId: 'pump-7',
    jobId: '002',
    topicName: '$aws/things/pump-7/jobs/002/update',
  },
  {
    ...common(12, 'UpdateJobExecution'),
    protocol: 'MQTT',
    clientId: 'pump-7',
    jobId: '003',
    topicName: '$aws/things/pump-7/jobs/003/update',
  },
];

/** The fleet's entries as NDJSON, as a user pastes them. */
export const FLEET_TEXT = FLEET_ENTRIES.map((e) => JSON.stringify(e)).join('\n');

/** The fleet parsed (a new parse per call). */
export function fleet(): TableResult {
  return parseTables(FLEET_TEXT);
}

/** Epoch ms of a minute of the fleet's hour (2024-05-01 10:mm UTC). */
export const fleetMinute = (minute: number) => Date.UTC(2024, 4, 1, 10, minute);

/** A template variable where a query holds component ids (queries keep `$…` names for interpolation). */
export const componentVariable = '$component' as string as ComponentId;
