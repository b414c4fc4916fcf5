/** The source kinds, keyed by source type: the one place that lists them. */
import type { QuerySource, SourceType } from '../types';
import { cloudWatchKind } from './cloudwatch';
import { defaultKind } from './default';
import { inlineKind } from './inline';
import { sampleKind } from './sample';
import type { LoadedInput, SourceContext, SourceKind, SourceRegistry } from './types';
import { uploadKind } from './upload';
import { urlKind } from './url';

/** In the order the editor offers them. */
export const SOURCES: SourceRegistry = {
  inline: inlineKind,
  upload: uploadKind,
  url: urlKind,
  sample: sampleKind,
  cloudwatch: cloudWatchKind,
  default: defaultKind,
};

export const SOURCE_TYPES = Object.keys(SOURCES) as SourceType[];

export function sourceKind(type: SourceType): SourceKind {
  return SOURCES[type] as unknown as SourceKind;
}

/** A stored source of any shape: its kind's migration, inline for an unknown or missing type. */
export function migrateSource(stored: unknown): QuerySource {
  const s = (stored ?? {}) as Record<string, unknown>;
  const type =
    typeof s.type === 'string' && Object.prototype.hasOwnProperty.call(SOURCES, s.type)
      ? (s.type as SourceType)
      : 'inline';
  return sourceKind(type).migrate(s);
}

export function loadSource(source: QuerySource, ctx: SourceContext): Promise<LoadedInput> {
  return sourceKind(source.type).load(source, ctx);
}

export {
  SourceError,
  type LoadedInput,
  type SourceContext,
  type SourceEditorContext,
  type SourceEditorProps,
  type SourceKind,
} from './types';
