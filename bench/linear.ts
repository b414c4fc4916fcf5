/**
 * Linear time on hostile and mixed inputs: parseLogs on each shape at sizes ×1, ×4 and ×16, timed in
 * one run. Time per MB must stay flat (within LINEAR_SLACK of the smallest size): a parser that rescans
 * grows 4× per step. Run alone with `npm run bench:linear`; `npm run bench` includes it.
 *
 * Unit tests check the same thing without a clock (the splitter's count of characters looked at, in
 * src/parsing/nothingLost.test.ts); this is the check in seconds.
 */
import { cpus } from 'node:os';

import { parseLogs } from '../src/parsing';
import { entries } from './generate';

/** Largest allowed growth of time per MB from ×1 to ×16 (timings on a busy 2-core VM are noisy). */
const LINEAR_SLACK = 3;
const BASE_CHARS = 1 << 20;

const sample = entries(2000);
const entry = (i: number) => sample[i % sample.length];
const cut = (i: number) => entry(i).slice(0, 30 + (i % 60));

/** Repeats `unit(i)` until the text holds about `chars` characters. */
function grow(chars: number, unit: (i: number) => string, join = ''): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < chars; i++) {
    const part = unit(i);
    parts.push(part);
    length += part.length + join.length;
  }
  return parts.join(join);
}

const filterLogEvents = (from: number) =>
  JSON.stringify(
    { events: [0, 1, 2].map((k) => ({ timestamp: 1, message: entry(from + k), eventId: `${from + k}` })) },
    null,
    2
  );

export const SHAPES: Record<string, (chars: number) => string> = {
  "'{' repeated": (chars) => '{'.repeat(chars),
  "'[' repeated": (chars) => '['.repeat(chars),
  '{"a": repeated (never closed)': (chars) => '{"a":'.repeat(chars / 5),
  'one line of truncated entries': (chars) => grow(chars, (i) => (i % 2 === 0 ? cut(i) : entry(i))),
  'entries joined by NUL on one line': (chars) => grow(chars, entry, '\u0000'),
  'bad tokens between entries': (chars) => grow(chars, (i) => `${entry(i)} null 42 "x" } `),
  'one line of words': (chars) => 'word '.repeat(chars / 5),
  'containers and NDJSON interleaved': (chars) =>
    grow(chars, (i) => (i % 10 === 0 ? filterLogEvents(i) : entry(i)), '\n'),
  'a number field holding a long run of digits': (chars) =>
    // A twentieth of the size: the record must stay under the 1 MB record limit at ×16.
    JSON.stringify({ ...JSON.parse(entry(0)), sourcePort: `${'1'.repeat(chars / 20)}x` }),
  "one text line of 'EVENT:a'": (chars) => 'EVENT:a '.repeat(chars / 8),
  'many documents of never-closed values': (chars) => {
    const side = Math.round(Math.sqrt(chars / 8));
    return Array.from({ length: side }, () => `{"events": [\n${'  {"a":\n'.repeat(side)}]}`).join('\n');
  },
  'a CSV download, then NDJSON': (chars) =>
    '@timestamp,@message,@logStream,@log\n' +
    grow(chars / 2, (i) => `2017-08-10 15:37:23.476,"${entry(i).replace(/"/g, '""')}",s,1:AWSIotLogsV2`, '\n') +
    '\n' +
    grow(chars / 2, entry, '\n'),
  'a CSV of selected fields (quotes only at its end)': (chars) =>
    '@timestamp,eventType,clientId\n' +
    grow(chars, (i) => `2017-08-10 15:37:23.476,Connect,c${i}`, '\n') +
    '\n2017-08-10 15:37:23.476,Connect,"quoted"\n',
  'S3 export lines then NDJSON': (chars) =>
    grow(chars / 2, (i) => `2020-09-08T04:00:24.000Z ${entry(i)}`, '\n') + '\n' + grow(chars / 2, entry, '\n'),
};

export interface LinearRow {
  shape: string;
  mb: number[];
  msPerMb: number[];
  growth: number;
}

function time(fn: () => void): number {
  let best = Infinity;
  for (let run = 0; run < 2; run++) {
    global.gc?.();
    const t = performance.now();
    fn();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

export function measureLinear(): { rows: LinearRow[]; failures: string[] } {
  const rows: LinearRow[] = [];
  const failures: string[] = [];
  for (const [shape, make] of Object.entries(SHAPES)) {
    const mb: number[] = [];
    const msPerMb: number[] = [];
    for (const factor of [1, 4, 16]) {
      const text = make(BASE_CHARS * factor);
      const result = parseLogs(text, { maxIssues: 10 });
      if (result.stats.entries + result.stats.rejected !== result.stats.records) {
        failures.push(`${shape} ×${factor}: entries + rejected ≠ records`);
      }
      const size = text.length / 1024 / 1024;
      mb.push(size);
      msPerMb.push(time(() => parseLogs(text, { maxIssues: 10 })) / size);
    }
    const growth = msPerMb[2] / msPerMb[0];
    rows.push({ shape, mb, msPerMb, growth });
    if (growth > LINEAR_SLACK) {
      failures.push(`${shape}: time per MB grew ${growth.toFixed(1)}× from ×1 to ×16 (allowed ${LINEAR_SLACK}×)`);
    }
    console.error(`${shape}: ${msPerMb.map((v) => v.toFixed(0)).join(' / ')} ms per MB`);
  }
  return { rows, failures };
}

export function linearTable(rows: LinearRow[]): string[] {
  const f1 = (n: number) => n.toFixed(1);
  const lines = [
    '| hostile or mixed input | sizes (MB) | ms per MB at ×1 / ×4 / ×16 | growth ×1 → ×16 |',
    '|---|---:|---:|---:|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.shape} | ${r.mb.map(f1).join(' / ')} | ${r.msPerMb.map((v) => v.toFixed(0)).join(' / ')} | ${r.growth.toFixed(2)}× |`
    );
  }
  return lines;
}

if (process.argv[1]?.endsWith('linear.ts')) {
  const { rows, failures } = measureLinear();
  console.log(`Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}\n`);
  console.log(linearTable(rows).join('\n'));
  if (failures.length > 0) {
    console.error(`\nNot linear:\n- ${failures.join('\n- ')}`);
    process.exit(1);
  }
  console.error('\nLinear on every shape.');
}
