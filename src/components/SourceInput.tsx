import React from 'react';
import { Text } from '@grafana/ui';

import type { DataSource } from '../datasource';
import type { QuerySource, UploadSource } from '../types';
import { InlineSourceEditor } from './InlineSourceEditor';
import { storedBytesLimit } from './sourceInputs';
import { UploadSourceEditor } from './UploadSourceEditor';
import { UrlSourceEditor } from './UrlSourceEditor';

interface Props {
  refId: string;
  source: QuerySource;
  datasource: Pick<DataSource, 'maxStoredBytes' | 'baseUrl' | 'sessions'>;
  explore: boolean;
  /** New pasted text; `pasted` when it came from a paste. */
  onText: (text: string, pasted: boolean) => void;
  /** A new URL path (runs on blur). */
  onPath: (path: string) => void;
  /** A file was read and compressed (applied to the query as it is then). */
  onUpload: (source: UploadSource) => void;
  /** The user emptied the source. */
  onClear: () => void;
  /** A text input lost focus. */
  onTextBlur: () => void;
}

/** The input of the chosen source. */
export function SourceInput({
  refId,
  source,
  datasource,
  explore,
  onText,
  onPath,
  onUpload,
  onClear,
  onTextBlur,
}: Props) {
  switch (source.type) {
    case 'inline':
      return (
        <InlineSourceEditor
          id={`${refId}-content`}
          source={source}
          sessionTextAvailable={
            source.sessionKey !== undefined && datasource.sessions.get(source.sessionKey) !== undefined
          }
          onText={onText}
          onClear={onClear}
          onBlur={onTextBlur}
        />
      );
    case 'upload':
      return (
        <UploadSourceEditor
          source={source.fileName ? source : undefined}
          maxStoredBytes={storedBytesLimit(datasource.maxStoredBytes, explore)}
          explore={explore}
          store={datasource.sessions}
          onUpload={onUpload}
          onClear={onClear}
        />
      );
    case 'url':
      return (
        <UrlSourceEditor
          id={`${refId}-url-path`}
          source={source}
          baseUrl={datasource.baseUrl}
          onChange={(url) => onPath(url.path)}
          onBlur={onTextBlur}
        />
      );
    default:
      return (
        <Text color="secondary" variant="bodySmall">
          A day of a small fleet (pumps, gateways, sensors) across every component, with failures, throttling, a
          reconnect storm and a firmware job, moved so that it ends at the end of the time range.
        </Text>
      );
  }
}
