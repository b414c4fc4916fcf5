/**
 * Benchmark inputs: realistic AWS IoT entries (the bundled sample's day of a fleet: every event type,
 * real field sizes and mix, failures), repeated day after day to the size asked for, in three layouts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { rebaseSample } from '../src/sample/rebase';

const DAY = 86_400_000;

export type BenchFormat = 'ndjson' | 'pretty' | 'insights-json';
export const BENCH_FORMATS: BenchFormat[] = ['ndjson', 'pretty', 'insights-json'];

let sampleLines: string[] | undefined;

/** The sample's entries as compact JSON lines. */
function sample(): string[] {
  if (!sampleLines) {
    const text = readFileSync(join(__dirname, '..', 'src', 'sample', 'fleet-day.json'), 'utf8');
    sampleLines = text
      .split('\n')
      .map((line) => line.replace(/,$/, ''))
      .filter((line) => line.startsWith('{'));
  }
  return sampleLines;
}

/** `count` compact entries: the sample's day, then the next day, and so on. */
export function entries(count: number): string[] {
  const day = sample();
  const out: string[] = [];
  for (let k = 0; out.length < count; k++) {
    const shifted = k === 0 ? day : rebaseSample(day.join('\n'), k * DAY).split('\n');
    for (const line of shifted) {
      if (out.length === count) {
        break;
      }
      out.push(line);
    }
  }
  return out;
}

/** Whether the layout of `count` entries fits in one string (V8: 2^29 − 24 characters; the plugin's own limit). */
export function fitsInString(count: number, format: BenchFormat): boolean {
  const perEntry = { ndjson: 400, pretty: 450, 'insights-json': 580 }[format];
  return count * perEntry < 500 * 1024 * 1024;
}

/** The entries in a layout, and each record's own text (what JSON.parse alone would be given). */
export function layout(lines: string[], format: BenchFormat): { text: string; records: string[] } {
  switch (format) {
    case 'ndjson':
      return { text: lines.join('\n'), records: lines };
    case 'pretty': {
      const records = lines.map((line) => JSON.stringify(JSON.parse(line), null, 2));
      return { text: records.join('\n'), records };
    }
    case 'insights-json': {
      const records = lines.map((line) =>
        JSON.stringify({
          '@timestamp': line.slice(14, 37),
          '@message': line,
          '@logStream': 'iot-logs/123456789012/9f0c1e',
          '@log': '123456789012:AWSIotLogsV2',
        })
      );
      return { text: `[\n${records.join(',\n')}\n]`, records };
    }
  }
}
