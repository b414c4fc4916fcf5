/**
 * Writes a fleet scenario (src/fleet/scenarios.ts) to files: its entries, one AWS IoT V2 entry per line,
 * and its ground truth as JSON.
 *
 *   node --import tsx scripts/fleet.ts                      # lists the scenarios
 *   node --import tsx scripts/fleet.ts mixed [out-dir]      # writes out-dir/mixed.ndjson and mixed.truth.json
 *   node --import tsx scripts/fleet.ts all [out-dir]        # every scenario
 *
 * The default out-dir is ./fleet-scenarios. Deterministic: the same files every run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { fleetText } from '../src/fleet/generate';
import { generateScenario, SCENARIOS } from '../src/fleet/scenarios';

const [name, outDir = 'fleet-scenarios'] = process.argv.slice(2);

if (!name) {
  for (const s of SCENARIOS) {
    console.log(`${s.name.padEnd(16)} ${s.description}`);
  }
  process.exit(0);
}

const names = name === 'all' ? SCENARIOS.map((s) => s.name) : [name];
mkdirSync(outDir, { recursive: true });
for (const n of names) {
  const fleet = generateScenario(n);
  const entriesPath = join(outDir, `${n}.ndjson`);
  const truthPath = join(outDir, `${n}.truth.json`);
  writeFileSync(entriesPath, fleetText(fleet));
  const iso = (ms: number) => new Date(ms).toISOString();
  writeFileSync(
    truthPath,
    `${JSON.stringify(
      {
        scenario: n,
        start: iso(fleet.start),
        end: iso(fleet.end),
        things: fleet.things,
        truth: fleet.truth.map((p) => ({ ...p, fromIso: iso(p.from), toIso: iso(p.to) })),
        hidden: fleet.hidden,
      },
      null,
      2
    )}\n`
  );
  console.log(
    `${entriesPath}: ${fleet.entries.length} entries, ${fleet.truth.length} problems (${fleet.hidden.length} hidden)`
  );
}
