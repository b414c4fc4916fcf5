/**
 * CloudWatch Logs export to S3 (CreateExportTask): one event per line as
 * `2020-09-08T04:00:24.000Z <message>`; a message with line breaks goes on over the following lines
 * without the prefix. Events are not in time order (the frames sort them).
 */
import { emptyOutput, type ContainerOutput } from './types';

const PREFIX = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z /;

/** True when the first non-blank line carries the export's ISO 8601 prefix. */
export function detectS3Export(text: string): boolean {
  const start = text.search(/\S/);
  return start >= 0 && PREFIX.test(text.slice(start, start + 40));
}

export function readS3Export(text: string): ContainerOutput {
  const out = emptyOutput();
  const lines = text.split('\n');
  let current: { line: number; parts: string[] } | undefined;
  const flush = () => {
    if (current) {
      out.records.push({ line: current.line, message: current.parts.join('\n') });
    }
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i];
    const m = PREFIX.exec(line);
    if (m) {
      flush();
      current = { line: i + 1, parts: [line.slice(m[0].length)] };
    } else if (current) {
      current.parts.push(line);
    } else if (line.trim() !== '') {
      out.broken.push({
        line: i + 1,
        message: `a line before the first event of the S3 export, without its "YYYY-MM-DDTHH:mm:ss.SSSZ " prefix`,
      });
    }
  }
  flush();
  // The export's last line ends with a line break: drop the empty continuation it leaves.
  for (const record of out.records) {
    const message = record.message!;
    let end = message.length;
    while (end > 0 && message.charCodeAt(end - 1) === 10) {
      end--;
    }
    record.message = end === message.length ? message : message.slice(0, end);
  }
  return out;
}
