/** Test ids shared by the editors and their tests. */
export const selectors = {
  queryEditor: {
    source: 'aws-iot-logs-query-source',
    content: 'aws-iot-logs-query-content',
    dropzone: 'aws-iot-logs-query-dropzone',
    uploadedFile: 'aws-iot-logs-query-uploaded-file',
    urlPath: 'aws-iot-logs-query-url-path',
    format: 'aws-iot-logs-query-format',
    ignoreTimeRange: 'aws-iot-logs-query-ignore-time-range',
    components: 'aws-iot-logs-query-components',
    eventTypes: 'aws-iot-logs-query-event-types',
    statuses: 'aws-iot-logs-query-statuses',
    summary: 'aws-iot-logs-query-summary',
    issues: 'aws-iot-logs-query-issues',
  },
  configEditor: {
    intro: 'aws-iot-logs-config-intro',
    baseUrl: 'aws-iot-logs-config-base-url',
    authHeader: 'aws-iot-logs-config-auth-header',
    maxStored: 'aws-iot-logs-config-max-stored',
  },
} as const;
