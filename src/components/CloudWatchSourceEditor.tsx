import React from 'react';
import { EditorField } from '@grafana/plugin-ui';
import { Alert, Button, Stack, Text, TextArea } from '@grafana/ui';

import type { SourceEditorProps } from '../sources/types';
import type { CloudWatchSource } from '../types';
import { selectors } from './selectors';

/**
 * The CloudWatch source: the Logs Insights query this query runs as, written from its filters and
 * output, with the log groups and region it reads; or, in edit mode, the user's own text (started from
 * the written one), run on blur. The plugin's own filters still apply to the parsed entries.
 */
export function CloudWatchSourceEditor({
  refId,
  source,
  query,
  intervalMs,
  datasource,
  onChange,
  onBlur,
}: SourceEditorProps<CloudWatchSource>) {
  const cloudWatch = datasource.cloudWatch;
  if (!cloudWatch?.uid) {
    return (
      <div data-testid={selectors.queryEditor.cloudWatchMissing}>
        <Alert severity="info" title="No CloudWatch data source chosen">
          An administrator chooses the CloudWatch data source (with your AWS credentials), the region and the log groups
          in this data source&apos;s settings. Queries then run as CloudWatch Logs Insights queries through it.
        </Alert>
      </div>
    );
  }
  const written = query ? cloudWatch.insightsOf(query, intervalMs) : undefined;
  const where = `${cloudWatch.logGroups.join(', ')} · region ${cloudWatch.region}`;
  const id = `${refId}-insights`;

  if (source.expression !== undefined) {
    return (
      <Stack direction="column" gap={1}>
        <EditorField
          label="Logs Insights query"
          htmlFor={id}
          width={100}
          tooltip="Runs as you wrote it (on the log groups in the settings, over the time range). This query's filters still apply to the entries it returns."
        >
          <TextArea
            id={id}
            data-testid={selectors.queryEditor.insightsText}
            rows={Math.min(12, Math.max(3, source.expression.split('\n').length + 1))}
            value={source.expression}
            onChange={(e) => onChange({ type: 'cloudwatch', expression: e.currentTarget.value }, false)}
            onBlur={onBlur}
          />
        </EditorField>
        <Stack direction="row" gap={1} alignItems="center">
          <Button size="sm" variant="secondary" icon="history" onClick={() => onChange({ type: 'cloudwatch' }, true)}>
            Use the written query
          </Button>
          <Text color="secondary" variant="bodySmall">
            {where}
          </Text>
        </Stack>
      </Stack>
    );
  }

  return (
    <section aria-label="Logs Insights query" data-testid={selectors.queryEditor.insightsWritten}>
      <Stack direction="column" gap={0.5}>
        {written && 'error' in written ? (
          <Alert severity="error" title="This query cannot run on CloudWatch">
            {written.error}
          </Alert>
        ) : written ? (
          <>
            <Text element="p" variant="bodySmall" color="secondary">
              Runs on CloudWatch Logs Insights ({where}) as:
            </Text>
            <pre aria-label="Written Logs Insights query" style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
              {written.expression}
            </pre>
            {written.afterParse.length > 0 && (
              <Text element="p" variant="bodySmall" color="warning">
                Applied after the entries arrive (Logs Insights cannot express them): {written.afterParse.join('; ')}.
              </Text>
            )}
          </>
        ) : null}
        <Stack direction="row" gap={1}>
          <Button
            size="sm"
            variant="secondary"
            icon="pen"
            disabled={!written || 'error' in written}
            onClick={() =>
              written &&
              !('error' in written) &&
              onChange({ type: 'cloudwatch', expression: written.expression }, false)
            }
          >
            Edit the Logs Insights query
          </Button>
        </Stack>
      </Stack>
    </section>
  );
}
