import React from 'react';
import { Stack, Text } from '@grafana/ui';

import type { QueryFrameMeta } from '../query/runQuery';
import { summarize } from './queryEditorOptions';
import { selectors } from './selectors';

const SHOWN_ISSUES = 3;

/** One line about the last run (entries, rejected, format) and its first problems. */
export function RunSummary({ meta, progress }: { meta: QueryFrameMeta | undefined; progress?: number }) {
  if (progress !== undefined) {
    return (
      <div data-testid={selectors.queryEditor.summary} role="status">
        <Text color="secondary" variant="bodySmall">
          Parsing… {Math.floor(progress * 100)}% (cancel the query to stop)
        </Text>
      </div>
    );
  }
  if (!meta) {
    return (
      <div data-testid={selectors.queryEditor.summary}>
        <Text color="secondary" variant="bodySmall">
          Not run yet.
        </Text>
      </div>
    );
  }
  const { parse, issues, outsideTimeRange } = meta;
  return (
    <Stack direction="column" gap={0}>
      <div data-testid={selectors.queryEditor.summary} role="status">
        <Text color={parse.rejected > 0 ? 'warning' : 'secondary'} variant="bodySmall">
          Last run: {summarize(parse)}
          {outsideTimeRange > 0 && ` · ${outsideTimeRange.toLocaleString('en-US')} outside the time range`}
          {parse.notes.length > 0 && ` · ${parse.notes.join(' ')}`}
        </Text>
      </div>
      {issues.length > 0 && (
        <ul data-testid={selectors.queryEditor.issues} aria-label="Rejected records">
          {issues.slice(0, SHOWN_ISSUES).map((issue) => (
            <li key={issue.record}>
              <Text color="secondary" variant="bodySmall">
                Line {issue.line}: {issue.message}
              </Text>
            </li>
          ))}
          {parse.rejected > SHOWN_ISSUES && (
            <li>
              <Text color="secondary" variant="bodySmall">
                … {parse.rejected - SHOWN_ISSUES} more (see the panel&apos;s notice or Query inspector)
              </Text>
            </li>
          )}
        </ul>
      )}
    </Stack>
  );
}
