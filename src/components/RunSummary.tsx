import React from 'react';
import { Stack, Text } from '@grafana/ui';

import type { InsightsRunReport, RunReport } from '../query/runReport';
import { outputLine, progressPercent } from './lastRun';
import { ProgressBar } from './ProgressBar';
import { summarize } from './queryEditorOptions';
import { selectors } from './selectors';

const SHOWN_ISSUES = 3;

interface Props {
  /** The report of the run the panel's data came from. */
  report: RunReport | undefined;
  /** Without a report: the panel's error for this query, if any. */
  error?: string;
  /** Without a report: the panel is loading. */
  loading?: boolean;
}

/** What CloudWatch answered: the rows, Logs Insights' status, the cap; for stats, what came of them. */
function insightsLine(insights: InsightsRunReport, stats: boolean): string {
  const rows = insights.rows.toLocaleString('en-US');
  const status = insights.status ? ` (${insights.status})` : '';
  const counted = stats ? ` counted in AWS${status}` : `${status}`;
  return (
    `Logs Insights returned ${rows} ${insights.rows === 1 ? 'row' : 'rows'}${counted}` +
    (insights.capped ? ': its 10,000-row maximum, so older entries are missing' : '') +
    '.'
  );
}

/**
 * The last run in a few lines: its progress while it parses; then what was parsed, what the query
 * returned (or that the filters matched nothing), and the first rejected records; or why it failed.
 */
export function RunSummary({ report, error, loading }: Props) {
  return (
    <div role="status">
      <Stack direction="column" gap={0.5}>
        <Lines report={report} error={error} loading={loading} />
      </Stack>
    </div>
  );
}

interface LineProps {
  testId?: string;
  color?: 'secondary' | 'warning' | 'error';
  children: NonNullable<React.ReactNode>;
}

function Line({ testId, color = 'secondary', children }: LineProps) {
  return (
    <div data-testid={testId}>
      <Text color={color} variant="bodySmall">
        {children}
      </Text>
    </div>
  );
}

function Lines({ report, error, loading }: Props) {
  if (!report) {
    if (error !== undefined) {
      return (
        <Line testId={selectors.queryEditor.summary} color="error">
          Last run failed: {error}
        </Line>
      );
    }
    return <Line testId={selectors.queryEditor.summary}>{loading ? 'Running…' : 'Not run yet.'}</Line>;
  }

  if (report.state === 'running') {
    const percent = progressPercent(report);
    return (
      <>
        <Line testId={selectors.queryEditor.summary}>
          {percent === undefined ? 'Running…' : `Parsing… ${percent}% (cancel the query to stop)`}
        </Line>
        {percent !== undefined && <ProgressBar percent={percent} label="Parse progress" />}
      </>
    );
  }

  const { parse, issues = [], outsideTimeRange = 0, output } = report;
  const returned = output ? outputLine(output, outsideTimeRange) : undefined;
  return (
    <>
      {report.state === 'error' && (
        <Line testId={selectors.queryEditor.summary} color="error">
          Last run failed: {report.error ?? 'unknown error'}
        </Line>
      )}
      {parse && (
        <Line
          testId={report.state === 'error' ? undefined : selectors.queryEditor.summary}
          color={parse.rejected > 0 ? 'warning' : 'secondary'}
        >
          Last run: {summarize(parse)}
          {outsideTimeRange > 0 && ` · ${outsideTimeRange.toLocaleString('en-US')} outside the time range`}
          {parse.notes.length > 0 && ` · ${parse.notes.join(' ')}`}
        </Line>
      )}
      {report.insights && (
        <Line
          testId={parse || report.state === 'error' ? selectors.queryEditor.insightsRun : selectors.queryEditor.summary}
          color={report.insights.capped ? 'warning' : 'secondary'}
        >
          {insightsLine(report.insights, !parse)}
        </Line>
      )}
      {!parse && !report.insights && report.state === 'done' && (
        <Line testId={selectors.queryEditor.summary}>Last run: nothing was read.</Line>
      )}
      {returned && report.state === 'done' && !(report.insights && !parse) && (
        <Line testId={selectors.queryEditor.returned} color={returned.nothingMatched ? 'warning' : 'secondary'}>
          {returned.text}
        </Line>
      )}
      {issues.length > 0 && parse && (
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
    </>
  );
}
