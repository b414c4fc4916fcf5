// Prints a digest of parseLogs on the AWS reference examples and the container fixtures: run under
// different TZ values by src/parsing/timezone.test.ts, which checks the digests are all the same.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parseLogs } from '../src/parsing';

export function digest(): string {
  const dir = join(__dirname, 'aws-reference');
  const raw = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
  const inputs = [raw, ...['insights-api-fields.json', 'grafana-logs-panel.csv', 'filter-log-events.json'].map((f) => readFileSync(join(__dirname, 'containers', f)))];
  return JSON.stringify(
    inputs.map((input) => parseLogs(input).frames.map((f) => [f.name, f.fields.map((x) => [x.name, x.type, x.values.map((v) => (typeof v === 'object' ? JSON.stringify(v) : v))])]))
  );
}

if (require.main === module) {
  process.stdout.write(digest());
}
