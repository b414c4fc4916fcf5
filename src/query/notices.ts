/**
 * Parse problems as frame notices: how many records were rejected and why, the first few with their
 * line numbers, and what the container said (partial results, skipped control messages, truncated
 * gzip). Grafana's panel header shows one notice per severity, so notices are merged per severity.
 */
import type { QueryResultMetaNotice } from '@grafana/data';

import { CONTAINER_FORMATS, FORMAT_LABELS, type ParseResult, type RejectReason } from '../parsing';

export const NOTICE_ISSUES = 5;

const REASONS: Record<RejectReason, string> = {
  'broken-json': 'broken JSON',
  'broken-record': 'unreadable records',
  'not-json': 'not JSON',
  binary: 'binary data',
  'legacy-v1': 'legacy v1 text lines',
  'mqtt-lifecycle': 'MQTT lifecycle events',
  'not-an-object': 'JSON that is not an object',
  'not-iot-entry': 'JSON that is not an IoT entry',
  'bad-timestamp': 'missing or invalid timestamp',
  'too-long': 'records over the size limit',
};

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

export function describeReasons(byReason: ParseResult['stats']['rejectedByReason']): string {
  return (Object.keys(byReason) as RejectReason[]).map((reason) => `${byReason[reason]} ${REASONS[reason]}`).join(', ');
}

export function parseNotices(result: Pick<ParseResult, 'stats' | 'issues'>): QueryResultMetaNotice[] {
  const { stats, issues } = result;
  const notices: QueryResultMetaNotice[] = [];
  if (stats.records === 0 && stats.notes.length === 0) {
    notices.push({
      severity: 'info',
      text: 'No log entries: give the query AWS IoT log entries (JSON) or a CloudWatch export of them.',
    });
  }
  if (stats.notes.length > 0) {
    // Nothing read but notes: an error, unless the container only held records that are skipped by design.
    notices.push({
      severity: stats.records === 0 && stats.skipped === 0 ? 'error' : 'warning',
      text: stats.notes.join('\n'),
    });
  }
  if (stats.info.length > 0) {
    notices.push({ severity: 'info', text: stats.info.join('\n') });
  }
  if (stats.rejected > 0 && stats.entries === 0 && CONTAINER_FORMATS.includes(stats.format)) {
    // A container of something else (a Lambda log group, say): one clear message, not one per record.
    const first = issues[0];
    notices.push({
      severity: 'error',
      text:
        `No AWS IoT log entries in this ${FORMAT_LABELS[stats.format]}: none of its ${plural(stats.records, 'record')} is an AWS IoT V2 entry ` +
        `(${describeReasons(stats.rejectedByReason)})${first ? `; line ${first.line}: ${first.message.replace(/\.$/, '')}` : ''}. Is it an export of the AWSIotLogsV2 log group?`,
    });
  } else if (stats.rejected > 0) {
    const lines = [
      `${plural(stats.rejected, 'record')} of ${stats.records.toLocaleString('en-US')} rejected (${describeReasons(stats.rejectedByReason)}); ` +
        `${stats.entries.toLocaleString('en-US')} ${stats.entries === 1 ? 'entry' : 'entries'} read.`,
      ...issues.slice(0, NOTICE_ISSUES).map((issue) => `Line ${issue.line}: ${issue.message}`),
    ];
    if (stats.rejected > NOTICE_ISSUES) {
      lines.push(`… and ${plural(stats.rejected - NOTICE_ISSUES, 'more rejected record')}.`);
    }
    notices.push({ severity: stats.entries === 0 ? 'error' : 'warning', text: lines.join('\n') });
  }
  return notices;
}

/** One notice per severity (Grafana shows only one of each), texts joined in order. */
export function mergeNotices(notices: QueryResultMetaNotice[]): QueryResultMetaNotice[] {
  const bySeverity = new Map<QueryResultMetaNotice['severity'], string[]>();
  for (const notice of notices) {
    bySeverity.set(notice.severity, [...(bySeverity.get(notice.severity) ?? []), notice.text]);
  }
  return [...bySeverity].map(([severity, texts]) => ({ severity, text: texts.join('\n') }));
}
