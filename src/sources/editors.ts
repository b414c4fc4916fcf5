/**
 * Each source kind's editor, by source type: the other half of a kind (src/sources/<kind>.ts holds its
 * defaults, migration and loading). Kept apart so that running queries (src/query, the migration, the
 * bench) never loads React or Grafana's UI; only the query editor imports this.
 */
import type { ComponentType } from 'react';

import { CloudWatchSourceEditor } from '../components/CloudWatchSourceEditor';
import { DefaultSourceEditor } from '../components/DefaultSourceEditor';
import { InlineSourceEditor } from '../components/InlineSourceEditor';
import { SampleSourceEditor } from '../components/SampleSourceEditor';
import { UploadSourceEditor } from '../components/UploadSourceEditor';
import { UrlSourceEditor } from '../components/UrlSourceEditor';
import type { SourceType } from '../types';
import type { SourceEditorProps, SourceEditorRegistry } from './types';

export const SOURCE_EDITORS: SourceEditorRegistry = {
  inline: InlineSourceEditor,
  upload: UploadSourceEditor,
  url: UrlSourceEditor,
  sample: SampleSourceEditor,
  cloudwatch: CloudWatchSourceEditor,
  default: DefaultSourceEditor,
};

export function sourceEditor(type: SourceType): ComponentType<SourceEditorProps> {
  return SOURCE_EDITORS[type] as unknown as ComponentType<SourceEditorProps>;
}
