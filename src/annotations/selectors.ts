/** Test ids of the annotation editor, shared by the editor and its tests (browser tests too). */
export const annotationSelectors = {
  editor: 'aws-iot-logs-annotation-editor',
  source: 'aws-iot-logs-annotation-source',
  mark: 'aws-iot-logs-annotation-mark',
  /** What title, text and tags each annotation gets, and the newest one found. */
  mapping: 'aws-iot-logs-annotation-mapping',
  example: 'aws-iot-logs-annotation-example',
  /** The field mappings that replace defaults, with the button that clears them. */
  mappings: 'aws-iot-logs-annotation-mappings',
  /** What the last run marked ("5,321 of 10,976 entries matched → 1,000 annotations, the newest"). */
  returned: 'aws-iot-logs-annotation-returned',
  /** No input yet: what to do. */
  noInput: 'aws-iot-logs-annotation-no-input',
} as const;
