/**
 * The CloudWatch source: live entries from CloudWatch Logs Insights, through the Grafana CloudWatch data
 * source chosen in the settings. Unlike the other kinds it is not read as bytes here: a request runs
 * its queries through that data source (src/cloudwatch/run.ts), which hands the returned entries to the
 * same parser as files, or shapes `stats` results for the time series and counts outputs.
 */
import type { CloudWatchSource } from '../types';
import { SourceError, type SourceKind } from './types';

export const cloudWatchKind: SourceKind<CloudWatchSource> = {
  type: 'cloudwatch',
  label: 'CloudWatch',
  description: 'Live entries from CloudWatch Logs Insights, through your CloudWatch data source',
  ignoresTimeRange: false,
  defaults: () => ({ type: 'cloudwatch' }),
  // An edited query stays edited while it is emptied (the editor shows its text area until "Use the
  // written query"); running an empty one says so.
  migrate: (stored) =>
    typeof stored.expression === 'string'
      ? { type: 'cloudwatch', expression: stored.expression }
      : { type: 'cloudwatch' },
  hasInput: () => true,
  async load() {
    // Requests run CloudWatch queries before anything is read (src/query/request.ts); a load here
    // means a feature tried to read the entries without running them (a variable, ad hoc values).
    throw new SourceError(
      'The CloudWatch source is read by running the query: variables and ad hoc filter values cannot read it yet.'
    );
  },
};
