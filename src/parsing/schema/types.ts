/**
 * Types of the schema registry: what AWS documents about each eventType.
 * Pure TypeScript, no runtime imports, so it runs in Node, jsdom and Web Workers.
 */

/** The value kinds a column can hold; they map 1:1 onto Grafana's FieldType names. */
export type ValueKind = 'time' | 'number' | 'string' | 'boolean' | 'other';

/**
 * A documented attribute.
 * - `kind: 'object'` marks a nested string→string map such as `resources`: it is flattened into
 *   dotted columns (`resources.RepublishTopic`) whose kinds are inferred from the values.
 * - `derived` marks a column the parser computes from another attribute (topicName, details).
 */
export interface FieldSchema {
  name: string;
  kind: ValueKind | 'object';
  description: string;
  derived?: boolean;
  /** Grafana unit id of the values (`ms`), where AWS documents one. */
  unit?: string;
}

export type ComponentId =
  | 'message-broker'
  | 'ocsp'
  | 'device-shadow'
  | 'rules-engine'
  | 'jobs'
  | 'device-provisioning'
  | 'thing-groups'
  | 'fleet-indexing'
  | 'unknown';

export interface ComponentInfo {
  id: ComponentId;
  label: string;
  description: string;
}

export interface EventTypeSchema {
  eventType: string;
  component: ComponentId;
  description: string;
  /** Every documented attribute, common ones first, in the order AWS documents them. */
  fields: FieldSchema[];
  /** True for event types that are not on AWS's 2020 page (see log-formats.md §1). */
  newer?: boolean;
  /** True for event types AWS removed from its docs but that still appear in old data. */
  deprecated?: boolean;
}
