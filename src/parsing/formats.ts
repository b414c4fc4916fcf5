import type { InputFormat } from './types';

/** How each input format is named to users. */
export const FORMAT_LABELS: Record<InputFormat, string> = {
  empty: 'empty',
  ndjson: 'one JSON entry per line',
  'json-objects': 'JSON entries (pretty-printed or concatenated)',
  'json-array': 'JSON array',
  text: 'text, no JSON',
  'insights-api': 'Logs Insights API output (get-query-results)',
  'insights-json': 'Logs Insights console JSON download',
  'insights-csv': 'Logs Insights console CSV download',
  'filter-log-events': 'filter-log-events output',
  'get-log-events': 'get-log-events output',
  's3-export': 'CloudWatch Logs export to S3',
  subscription: 'subscription filter payload',
  'grafana-csv': "Grafana's CSV download of a logs panel",
  'logs-tail': 'aws logs tail output',
  'cli-text': 'AWS CLI text output (--output text)',
  mixed: 'several formats, one after the other',
};
