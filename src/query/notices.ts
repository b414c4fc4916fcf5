/**
 * Parse problems as frame notices: how many records were rejected and why, the first few with their
 * line numbers. Grafana's panel header shows one notice per severity, so each severity gets one
 * notice with the details on separate lines.
 */
import type { QueryResultMetaNotice } from '@grafana/data';

import type { ParseResult, RejectReason } from '../parsing';

export const NOTICE_ISSUES = 5;

const REASONS: Record<RejectReason, string> = {
  'broken-json': 'broken JSON',
  'not-json': 'not JSON',
  binary: 'binary data',
  'legacy-v1': 'legacy v1 text lines',
  'mqtt-lifecycle': 'MQTT lifecycle events',
  'not-an-object': 'JSON that is not an object',
  'not-iot-entry': 'JSON that is not an IoT entry',
  'bad-timestamp': 'missing or invalid timestamp',
};

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

export function describeReasons(byReason: ParseResult['stats']['rejectedByReason']): string {
  return (Object.keys(byReason) as RejectReason[]).map((reason) => `${byReason[reason]} ${REASONS[reason]}`).join(', ');
}

export function parseNotices(result: ParseResult): QueryResultMetaNotice[] {
  const { stats, issues } = result;
  if (stats.records === 0) {
    return [{ severity: 'info', text: 'No log entries: paste AWS IoT log entries (JSON) into the query editor.' }];
  }
  if (stats.rejected === 0) {
    return [];
  }
  const lines = [
    `${plural(stats.rejected, 'record')} of ${stats.records.toLocaleString('en-US')} rejected (${describeReasons(stats.rejectedByReason)}); ` +
      `${stats.entries.toLocaleString('en-US')} ${stats.entries === 1 ? 'entry' : 'entries'} read.`,
    ...issues.slice(0, NOTICE_ISSUES).map((issue) => `Line ${issue.line}: ${issue.message}`),
  ];
  if (stats.rejected > NOTICE_ISSUES) {
    lines.push(`… and ${plural(stats.rejected - NOTICE_ISSUES, 'more rejected record')}.`);
  }
  return [{ severity: stats.entries === 0 ? 'error' : 'warning', text: lines.join('\n') }];
}
