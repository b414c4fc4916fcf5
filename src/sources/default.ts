/**
 * The default source: the data source's own (CloudWatch when its settings choose a CloudWatch data
 * source, else the bundled sample). It is resolved to one of those before a query runs or is parsed
 * (resolveDefaultSource, called by the data source), so nothing loads it as such.
 */
import type { DefaultSource, QuerySource } from '../types';
import { SourceError, type SourceKind } from './types';

export const defaultKind: SourceKind<DefaultSource> = {
  type: 'default',
  label: 'Default',
  description: "The data source's own: CloudWatch when its settings choose a CloudWatch data source, else the sample",
  ignoresTimeRange: false,
  defaults: () => ({ type: 'default' }),
  migrate: () => ({ type: 'default' }),
  hasInput: () => true,
  load() {
    return Promise.reject(new SourceError('The default source is resolved by the data source before it is read.'));
  },
};

/** The query with a default source replaced by what it means for a data source with or without CloudWatch. */
export function resolveDefaultSource<Q extends { source: QuerySource }>(query: Q, hasCloudWatch: boolean): Q {
  if (query.source?.type !== 'default') {
    return query;
  }
  return { ...query, source: hasCloudWatch ? { type: 'cloudwatch' } : { type: 'sample' } };
}
