/** Test ids shared by the editors and their tests. */
export const selectors = {
  queryEditor: {
    content: 'aws-iot-logs-query-content',
    components: 'aws-iot-logs-query-components',
    eventTypes: 'aws-iot-logs-query-event-types',
    statuses: 'aws-iot-logs-query-statuses',
    summary: 'aws-iot-logs-query-summary',
    issues: 'aws-iot-logs-query-issues',
  },
  configEditor: {
    intro: 'aws-iot-logs-config-intro',
  },
} as const;
