import React, { useRef } from 'react';
import { EditorField } from '@grafana/plugin-ui';
import { Alert, Button, Stack, TextArea } from '@grafana/ui';

import type { SourceEditorProps } from '../sources/types';
import type { InlineSource } from '../types';
import { formatBytes } from './format';
import { selectors } from './selectors';
import { inlineSource, storedBytesLimit } from './sourceInputs';

const PLACEHOLDER = `Paste AWS IoT log entries (CloudWatch log group AWSIotLogsV2) or a CloudWatch export of them, e.g.
{"timestamp": "2017-08-10 15:37:23.476", "logLevel": "INFO", "accountId": "123456789012", "status": "Success", "eventType": "Connect", "clientId": "sensor-1"}`;

/**
 * The paste area, or, for big text Explore keeps in the session store, a note with its size. Pasting
 * runs the query at once, typing does not.
 */
export function InlineSourceEditor({
  refId,
  source,
  datasource,
  explore,
  onChange,
  onClear,
  onBlur,
}: SourceEditorProps<InlineSource>) {
  const pasted = useRef(false);
  const limit = storedBytesLimit(datasource.maxStoredBytes, explore);
  const id = `${refId}-content`;
  if (source.sessionKey !== undefined) {
    const size = formatBytes(source.size ?? 0);
    // The session store loses it on reload.
    const sessionTextAvailable = datasource.sessions.get(source.sessionKey) !== undefined;
    return (
      <div data-testid={selectors.queryEditor.sessionText}>
        {sessionTextAvailable ? (
          explore ? (
            <Alert severity="info" title={`${size} of pasted log entries`}>
              Too large for Explore&apos;s URL and history, the text is kept for this browser session: the URL holds a
              reference. It is gone when this tab is closed or reloaded; serve large files through the URL source to
              share them.
            </Alert>
          ) : (
            <Alert severity="warning" title={`${size} of pasted log entries, kept for this browser session only`}>
              Larger than what a dashboard may store ({formatBytes(datasource.maxStoredBytes)}), or pasted in Explore:
              the saved dashboard holds only a reference, gone when this tab is closed or reloaded. Upload the file
              instead (it is stored compressed), or serve it through the URL source.
            </Alert>
          )
        ) : (
          <Alert severity="warning" title="The pasted text is no longer available">
            {size} of pasted text was kept for the browser session in which it was pasted: paste it again.
          </Alert>
        )}
        <Button size="sm" variant="secondary" icon="times" onClick={onClear}>
          Clear pasted text
        </Button>
      </div>
    );
  }
  return (
    <EditorField
      label="Log entries"
      htmlFor={id}
      tooltip="AWS IoT log entries as JSON (one per line, pretty-printed, concatenated or in an array), or any CloudWatch export of them. Pasting runs the query; after typing, run it with Shift+Enter, the Run query button, or by leaving the text area."
      width="100%"
    >
      <Stack direction="column" gap={0.5}>
        <TextArea
          id={id}
          data-testid={selectors.queryEditor.content}
          value={source.content}
          rows={8}
          placeholder={PLACEHOLDER}
          spellCheck={false}
          onPaste={() => {
            pasted.current = true;
          }}
          onChange={(e) => {
            const wasPaste = pasted.current;
            pasted.current = false;
            const text = e.currentTarget.value;
            // Typed text stays in the text area; pasted text (and typed text when the area is left) over
            // Explore's share goes to the session store.
            onChange(
              wasPaste ? inlineSource(text, datasource.sessions, limit) : { type: 'inline', content: text },
              wasPaste
            );
          }}
          onBlur={() => {
            const moved = inlineSource(source.content, datasource.sessions, limit);
            if (moved.sessionKey !== undefined) {
              onChange(moved, true);
            } else {
              onBlur();
            }
          }}
        />
        {source.content !== '' && (
          <div>
            <Button size="sm" variant="secondary" fill="text" icon="times" onClick={onClear}>
              Clear pasted text
            </Button>
          </div>
        )}
      </Stack>
    </EditorField>
  );
}
