/**
 * Peak memory of parseLogs on one input, in a fresh process (run by bench/run.ts). A worker thread
 * samples the process's resident set size every few milliseconds while the main thread parses; the
 * result is the peak minus the resident size with the input loaded. Prints
 * {entries, format, inputMb, peakMb}.
 */
import { Worker } from 'node:worker_threads';

import { parseLogs } from '../src/parsing';
import { entries, layout, type BenchFormat } from './generate';

const SAMPLER = `
const { parentPort } = require('node:worker_threads');
let peak = 0;
const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, 2);
parentPort.on('message', () => { clearInterval(timer); parentPort.postMessage(peak); });
`;

async function main(): Promise<void> {
  const size = Number(process.argv[2]);
  const format = process.argv[3] as BenchFormat;
  let text: string | undefined = layout(entries(size), format).text;
  const inputMb = text.length / 1024 / 1024;
  global.gc?.();
  global.gc?.();
  const sampler = new Worker(SAMPLER, { eval: true });
  await new Promise((resolve) => setTimeout(resolve, 50));
  const base = process.memoryUsage.rss();
  let result: ReturnType<typeof parseLogs> | undefined = parseLogs(text);
  const parsed = result.stats.entries;
  const peak = await new Promise<number>((resolve) => {
    sampler.once('message', resolve);
    sampler.postMessage('stop');
  });
  await sampler.terminate();
  result = undefined;
  text = undefined;
  if (parsed !== size) {
    throw new Error(`parsed ${parsed} of ${size}`);
  }
  process.stdout.write(
    JSON.stringify({ entries: size, format, inputMb, peakMb: Math.max(peak - base, 0) / 1024 / 1024 })
  );
}

void main();
