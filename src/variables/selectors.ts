/** Test ids of the variable query editor, shared by the editor and its tests. */
export const variableSelectors = {
  editor: 'aws-iot-logs-variable-editor',
  source: 'aws-iot-logs-variable-source',
  values: 'aws-iot-logs-variable-values',
  field: 'aws-iot-logs-variable-field',
  sort: 'aws-iot-logs-variable-sort',
  showCounts: 'aws-iot-logs-variable-show-counts',
} as const;
