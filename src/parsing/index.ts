/**
 * The parsing core: AWS IoT Core log entries (CloudWatch Logs, log group AWSIotLogsV2) → typed data
 * frames, one per eventType. Pure TypeScript: runs in Node, jsdom and Web Workers.
 *
 *   decode (bytes → text) → split (text → records) → classify (record → entry | rejection)
 *   → flatten + derive + type → frames
 */
import { classifyJson, classifyText, excerpt } from './classify';
import { decodeInput, inputSize, type RawInput } from './decode';
import { FrameBuilder } from './frames';
import { splitRecords, type SplitSummary } from './split';
import type { InputFormat, ParseIssue, ParseOptions, ParseResult, ParseStats, RejectReason } from './types';

export type { InputFormat, ParseIssue, ParseOptions, ParseResult, ParseStats, RejectReason } from './types';
export type { IotFrameMeta, LogLabels } from './frames';
export { LOG_FIELDS } from './frames';
export type { ComponentId, ComponentInfo, EventTypeSchema, FieldSchema, ValueKind } from './schema/types';
export {
  COMPONENTS,
  EVENT_TYPES,
  componentOfEventType,
  eventTypesOfComponents,
  getComponent,
  getEventTypeSchema,
} from './schema/registry';
export { parseIotTimestamp } from './timestamp';

export const DEFAULT_MAX_ISSUES = 100;

function formatOf(summary: SplitSummary): InputFormat {
  if (summary.jsonRecords === 0) {
    return summary.textRecords === 0 ? 'empty' : 'text';
  }
  if (summary.array) {
    return 'json-array';
  }
  return summary.multiLine || summary.sharedLine ? 'json-objects' : 'ndjson';
}

/**
 * Parses AWS IoT log entries. Never throws for bad data: every record ends up in a frame or
 * is counted in `stats.rejected` with an issue saying where it was and why.
 */
export function parseLogs(input: RawInput, options: ParseOptions = {}): ParseResult {
  const maxIssues = options.maxIssues ?? DEFAULT_MAX_ISSUES;
  const text = decodeInput(input);
  const builder = new FrameBuilder();
  const issues: ParseIssue[] = [];
  const rejectedByReason: Partial<Record<RejectReason, number>> = {};
  let records = 0;
  let entries = 0;
  let rejected = 0;

  const reject = (line: number, reason: RejectReason, message: string) => {
    rejected++;
    rejectedByReason[reason] = (rejectedByReason[reason] ?? 0) + 1;
    if (issues.length < maxIssues) {
      issues.push({ line, record: records, reason, message });
    }
  };

  const summary = splitRecords(text, {
    json(value, raw, line) {
      const c = classifyJson(value);
      if (c.ok) {
        builder.add(c.entry, c.eventType, c.time, raw, records);
        entries++;
      } else {
        reject(line, c.reason, c.message);
      }
      records++;
    },
    invalid(raw, line, error) {
      if (error === undefined) {
        const c = classifyText(raw);
        reject(line, c.reason, c.message);
      } else {
        reject(line, 'broken-json', `broken JSON, ${error}: "${excerpt(raw)}"`);
      }
      records++;
    },
  });

  const stats: ParseStats = {
    format: formatOf(summary),
    records,
    entries,
    rejected,
    rejectedByReason,
    issuesOmitted: rejected - issues.length,
    inputSize: inputSize(input),
    eventTypes: builder.size,
  };
  return { frames: builder.build(), issues, stats };
}
