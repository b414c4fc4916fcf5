/** Helpers for the parsing tests (not part of the plugin bundle: only tests import this file). */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import type { DataFrame, Field } from '@grafana/data';

export const TESTDATA = join(__dirname, '..', '..', 'testdata');

export interface Example {
  file: string;
  text: string;
  json: Record<string, unknown>;
  eventType: string;
}

/** Files of testdata/aws-reference, read and parsed once per test file (tests call this from loops). */
let referenceCache: readonly Example[] | undefined;

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) {
      deepFreeze(v);
    }
  }
  return value;
}

/**
 * The 22 examples of AWS's CloudWatch log entry format page, byte for byte.
 *
 * The files are read once; every call returns a new array of new Example objects, so a test may
 * sort the array or set a property of an example without touching what the next call returns. The
 * parsed `json` is shared and frozen: build a changed entry with a spread (`{ ...e.json, x: 1 }`),
 * since assigning to it throws.
 */
export function awsReferenceExamples(): Example[] {
  if (!referenceCache) {
    const dir = join(TESTDATA, 'aws-reference');
    referenceCache = deepFreeze(
      readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((file) => {
          const text = readFileSync(join(dir, file), 'utf8');
          const json = JSON.parse(text);
          return { file, text, json, eventType: json.eventType };
        })
    );
  }
  return referenceCache.map((e) => ({ ...e }));
}

export function fieldOf(frame: DataFrame, name: string): Field {
  const field = frame.fields.find((f) => f.name === name);
  if (!field) {
    throw new Error(`frame ${frame.name} has no field ${name}; it has ${frame.fields.map((f) => f.name).join(', ')}`);
  }
  return field;
}

export function frameOf(frames: DataFrame[], name: string): DataFrame {
  const frame = frames.find((f) => f.name === name);
  if (!frame) {
    throw new Error(`no frame ${name}; frames: ${frames.map((f) => f.name).join(', ')}`);
  }
  return frame;
}

/** Row `i` of a frame as an object keyed by field name. */
export function rowOf(frame: DataFrame, i: number): Record<string, unknown> {
  return Object.fromEntries(frame.fields.map((f) => [f.name, f.values[i]]));
}

/** `YYYY-MM-DD HH:mm:ss.SSS` read digit by digit as UTC, independently of the code under test. */
export function utcMillis(timestamp: string): number {
  const [date, time] = timestamp.split(' ');
  const [y, mo, d] = date.split('-').map(Number);
  const [h, mi, rest] = time.split(':');
  const [s, ms] = rest.split('.').map(Number);
  return Date.UTC(y, mo - 1, d, Number(h), Number(mi), s, ms);
}
