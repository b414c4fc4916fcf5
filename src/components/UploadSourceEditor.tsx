import React, { useEffect, useId, useRef, useState } from 'react';
import { css, cx } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, Icon, Stack, Text, useStyles2 } from '@grafana/ui';

import type { SessionStore } from '../sources/sessionStore';
import type { SourceEditorProps } from '../sources/types';
import type { UploadSource } from '../types';
import { compressUpload, readFileBytes, UploadCancelled } from './compressUpload';
import { formatBytes } from './format';
import { ProgressBar } from './ProgressBar';
import { selectors } from './selectors';
import { ACCEPTED_FILES, acceptsFile, storedBytesLimit } from './sourceInputs';

interface Props extends SourceEditorProps<UploadSource> {
  /** What the compression awaits between slices (tests pace it). */
  pause?: () => Promise<void>;
}

interface Progress {
  fileName: string;
  phase: 'Reading' | 'Compressing';
  fraction: number;
}

/**
 * Drop or choose a file; it is read and compressed in slices with a progress bar and a Cancel button,
 * then the query gets it (or its session key) and runs. Says what the query will store, and what it cannot.
 */
export function UploadSourceEditor({ source: stored, datasource, explore, onChange, onClear, pause }: Props) {
  // The uploaded file, if any.
  const source = stored.fileName ? stored : undefined;
  // What the query may carry, compressed (the data source's cap; in Explore, at most its URL's share).
  const maxStoredBytes = storedBytesLimit(datasource.maxStoredBytes, explore);
  // Where files over the cap are kept for the session.
  const store = datasource.sessions;
  const [error, setError] = useState<string>();
  const [progress, setProgress] = useState<Progress>();
  const running = useRef<AbortController | undefined>(undefined);
  // Leaving the editor (or the upload source) mid-upload cancels it.
  useEffect(() => () => running.current?.abort(), []);

  const upload = async (file: File) => {
    running.current?.abort();
    const controller = new AbortController();
    running.current = controller;
    const { signal } = controller;
    setError(undefined);
    if (!acceptsFile(file.name)) {
      setError(`${file.name} is not one of ${ACCEPTED_FILES.join(' ')}.`);
      return;
    }
    try {
      setProgress({ fileName: file.name, phase: 'Reading', fraction: 0 });
      const bytes = await readFileBytes(file, {
        signal,
        onProgress: (fraction) => setProgress({ fileName: file.name, phase: 'Reading', fraction }),
      });
      setProgress({ fileName: file.name, phase: 'Compressing', fraction: 0 });
      const next = await compressUpload(file.name, bytes, {
        maxStoredBytes,
        store,
        signal,
        pause,
        onProgress: (fraction) => setProgress({ fileName: file.name, phase: 'Compressing', fraction }),
      });
      if (!signal.aborted) {
        onChange(next, true);
      }
    } catch (e) {
      if (!(e instanceof UploadCancelled)) {
        setError(`Could not read ${file.name}: ${e instanceof Error ? e.message : String(e)}`);
      }
    } finally {
      if (running.current === controller) {
        running.current = undefined;
        setProgress(undefined);
      }
    }
  };

  const cancel = () => {
    running.current?.abort();
    running.current = undefined;
    setProgress(undefined);
  };

  return (
    <Stack direction="column" gap={1}>
      {progress ? <UploadProgress progress={progress} onCancel={cancel} /> : <FileDrop onFile={upload} />}
      {error && (
        <Alert severity="error" title="Upload failed">
          {error}
        </Alert>
      )}
      {source && !progress && (
        <UploadedFile
          source={source}
          maxStoredBytes={maxStoredBytes}
          explore={explore}
          store={store}
          onClear={onClear}
        />
      )}
    </Stack>
  );
}

function UploadProgress({ progress, onCancel }: { progress: Progress; onCancel: () => void }) {
  const percent = Math.floor(progress.fraction * 100);
  return (
    <div data-testid={selectors.queryEditor.uploadProgress}>
      <Stack direction="row" gap={2} alignItems="center">
        <Text variant="bodySmall">
          {progress.phase} {progress.fileName}… {percent}%
        </Text>
        <Button size="sm" variant="secondary" icon="times" onClick={onCancel}>
          Cancel upload
        </Button>
      </Stack>
      <ProgressBar percent={percent} label={`${progress.phase} ${progress.fileName}`} />
    </div>
  );
}

/**
 * The drop target: a button (reachable with Tab, opened with Enter or Space like any button) that opens
 * the file picker, and takes a dropped file.
 */
function FileDrop({ onFile }: { onFile: (file: File) => void }) {
  const styles = useStyles2(getStyles);
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const hintId = useId();
  return (
    <div data-testid={selectors.queryEditor.dropzone}>
      <input
        ref={input}
        type="file"
        hidden
        accept={ACCEPTED_FILES.join(',')}
        data-testid={selectors.queryEditor.fileInput}
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          // The same file chosen again is a new upload.
          e.currentTarget.value = '';
          if (file) {
            onFile(file);
          }
        }}
      />
      <button
        type="button"
        className={cx(styles.dropzone, dragging && styles.dragging)}
        aria-describedby={hintId}
        onClick={() => input.current?.click()}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          const file = e.dataTransfer.files[0];
          if (file) {
            onFile(file);
          }
        }}
      >
        <Icon name="upload" size="xl" />
        <span className={styles.primary}>Drop an AWS IoT log file here, or choose one</span>
      </button>
      <div id={hintId}>
        <Text color="secondary" variant="bodySmall">
          {ACCEPTED_FILES.join(' ')}: raw entries, Logs Insights, filter-log-events, S3 export, subscription payloads
        </Text>
      </div>
    </div>
  );
}

interface UploadedFileProps {
  source: UploadSource;
  maxStoredBytes: number;
  explore: boolean;
  store: SessionStore;
  onClear: () => void;
}

function UploadedFile({ source, maxStoredBytes, explore, store, onClear }: UploadedFileProps) {
  const held = source.sessionKey !== undefined;
  const lost = held && store.get(source.sessionKey!) === undefined;
  return (
    <>
      <Stack direction="row" gap={1} alignItems="center">
        <div data-testid={selectors.queryEditor.uploadedFile}>
          <Text variant="bodySmall">
            {source.fileName} · {formatBytes(source.size)}
            {source.data !== undefined
              ? ` · stored in the query (${formatBytes(source.data.length)} compressed)`
              : explore
                ? ' · kept for this browser session: the URL holds a reference'
                : ` · kept for this browser session only: larger than the ${formatBytes(maxStoredBytes)} a dashboard may store`}
          </Text>
        </div>
        <Button size="sm" variant="secondary" fill="text" icon="times" onClick={onClear}>
          Remove file
        </Button>
      </Stack>
      {lost ? (
        <Alert severity="warning" title="The file is no longer available">
          {source.fileName} was kept for the browser session in which it was uploaded: upload it again.
        </Alert>
      ) : (
        held &&
        !explore && (
          <Alert severity="warning" title="This file will not be saved with the dashboard">
            It is larger than the {formatBytes(maxStoredBytes)} (compressed) this data source lets a dashboard store, so
            it is parsed and kept only until this browser tab is closed. To share it, serve it through the URL source.
          </Alert>
        )
      )}
    </>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  dropzone: css({
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    gap: theme.spacing(1),
    width: '100%',
    padding: theme.spacing(3),
    border: `1px dashed ${theme.colors.border.strong}`,
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.primary,
    color: theme.colors.text.secondary,
    cursor: 'pointer',
    '&:hover': { borderColor: theme.colors.border.medium, color: theme.colors.text.primary },
    '&:focus-visible': {
      outline: `2px solid ${theme.colors.primary.main}`,
      outlineOffset: 2,
    },
  }),
  dragging: css({ borderColor: theme.colors.primary.border, color: theme.colors.text.primary }),
  primary: css({ fontSize: theme.typography.h6.fontSize, fontWeight: theme.typography.fontWeightMedium }),
});
