import React, { useState } from 'react';
import { Alert, FileDropzone, FileDropzoneDefaultChildren, Stack, Text } from '@grafana/ui';

import { uploadSource } from '../query/uploads';
import type { SessionStore } from '../sources/sessionStore';
import type { UploadSource } from '../types';
import { formatBytes } from './format';
import { selectors } from './selectors';

export const ACCEPTED_FILES = ['.json', '.ndjson', '.jsonl', '.log', '.txt', '.csv', '.gz'];

/** Reads a File with FileReader (Blob.arrayBuffer is missing in some environments). */
export function readFileBytes(file: Blob): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer));
    reader.onerror = () => reject(reader.error ?? new Error('could not read the file'));
    reader.readAsArrayBuffer(file);
  });
}

interface Props {
  source: UploadSource | undefined;
  maxStoredBytes: number;
  /** Where files over the cap are kept for the session (the data source's). */
  store: SessionStore;
  onUpload: (source: UploadSource) => void;
}

/** Drop or browse for a file; what the query will store, and what it cannot. */
export function UploadSourceEditor({ source, maxStoredBytes, store, onUpload }: Props) {
  const [error, setError] = useState<string>();
  return (
    <Stack direction="column" gap={1}>
      <div data-testid={selectors.queryEditor.dropzone}>
        <FileDropzone
          options={{
            accept: ACCEPTED_FILES,
            multiple: false,
            onDrop: async (accepted: File[]) => {
              const file = accepted[0];
              if (!file) {
                setError(`Choose one file of type ${ACCEPTED_FILES.join(' ')}.`);
                return;
              }
              try {
                setError(undefined);
                onUpload(uploadSource(file.name, await readFileBytes(file), maxStoredBytes, store, source));
              } catch (e) {
                setError(`Could not read ${file.name}: ${e instanceof Error ? e.message : String(e)}`);
              }
            },
          }}
          fileListRenderer={() => null}
        >
          <FileDropzoneDefaultChildren
            primaryText="Drop an AWS IoT log file here, or click to browse"
            secondaryText={`${ACCEPTED_FILES.join(' ')} — raw entries, Logs Insights, filter-log-events, S3 export, subscription payloads`}
          />
        </FileDropzone>
      </div>
      {error && (
        <Alert severity="error" title="Upload failed">
          {error}
        </Alert>
      )}
      {source && (
        <div data-testid={selectors.queryEditor.uploadedFile}>
          <Text variant="bodySmall">
            {source.fileName} · {formatBytes(source.size)}
            {source.data !== undefined
              ? ` · stored in the query (${formatBytes(source.data.length)} compressed)`
              : ` · kept for this browser session only: larger than the ${formatBytes(maxStoredBytes)} a dashboard may store`}
          </Text>
        </div>
      )}
      {source?.sessionKey && (
        <Alert severity="warning" title="This file will not be saved with the dashboard">
          It is larger than the {formatBytes(maxStoredBytes)} (compressed) this data source lets a dashboard store, so
          it is parsed and kept only until this browser tab is closed. To share it, serve it through the URL source.
        </Alert>
      )}
    </Stack>
  );
}
