/** The bundled sample: a day of a small fleet, moved to end at the query's time range. */
import { rebaseSample, sampleOffset } from '../sample/rebase';
import type { SampleSource } from '../types';
import type { SourceKind } from './types';

export const sampleKind: SourceKind<SampleSource> = {
  type: 'sample',
  label: 'Sample',
  description: 'A day of a small fleet, moved to the dashboard time range',
  ignoresTimeRange: false,
  defaults: () => ({ type: 'sample' }),
  migrate: () => ({ type: 'sample' }),
  hasInput: () => true,
  async load(_source, ctx) {
    const text = await ctx.loadSample();
    const offset = sampleOffset(ctx.rangeTo);
    return { key: ['sample', offset], input: () => rebaseSample(text, offset) };
  },
};
