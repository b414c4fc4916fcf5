/**
 * Step 1: the input as text, and which container it is. gzip is inflated wherever its magic bytes are
 * found: a binary input, or text that is base64 of gzip (a pasted `awslogs.data`).
 */
import { detectJsonContainer } from './containers/json';
import { detectCsv } from './containers/csv';
import { detectS3Export } from './containers/s3';
import { detectSubscription } from './containers/subscription';
import { decodeInput, inputSize, MAX_INPUT_CHARS, type RawInput } from './decode';
import { decodeBase64, gunzipLimited, isGzip } from './gzip';
import type { InputFormat } from './types';

export interface PreparedInput {
  text: string;
  inputSize: number;
  compression?: 'gzip';
  notes: string[];
}

function inflate(bytes: Uint8Array, maxInflatedBytes: number | undefined, notes: string[]): Uint8Array {
  const inflated = gunzipLimited(bytes, maxInflatedBytes);
  if (inflated.error) {
    notes.push(`The input is gzip, but ${inflated.error}.`);
  }
  return inflated.bytes;
}

/** Bytes as text; input too large to be a string in a browser is refused with a note instead of an exception. */
function asText(bytes: Uint8Array, notes: string[]): string {
  if (bytes.length > MAX_INPUT_CHARS) {
    notes.push(
      `The input is ${Math.round(bytes.length / 1024 / 1024)} MB, more than the ${Math.round(MAX_INPUT_CHARS / 1024 / 1024)} MB a browser can read as text: split it, or filter it before exporting.`
    );
    return '';
  }
  try {
    return decodeInput(bytes);
  } catch (e) {
    notes.push(`The input could not be read as text (${e instanceof Error ? e.message : String(e)}).`);
    return '';
  }
}

export function prepareInput(input: RawInput, maxInflatedBytes?: number): PreparedInput {
  const notes: string[] = [];
  const size = inputSize(input);
  if (typeof input !== 'string') {
    const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
    if (isGzip(bytes)) {
      return {
        text: asText(inflate(bytes, maxInflatedBytes, notes), notes),
        inputSize: size,
        compression: 'gzip',
        notes,
      };
    }
    return { text: asText(bytes, notes), inputSize: size, notes };
  }
  const text = decodeInput(input);
  if (/^\s*H4sI/.test(text.slice(0, 64))) {
    const bytes = decodeBase64(text.trim());
    if (bytes && isGzip(bytes)) {
      return {
        text: asText(inflate(bytes, maxInflatedBytes, notes), notes),
        inputSize: size,
        compression: 'gzip',
        notes,
      };
    }
  }
  return { text, inputSize: size, notes };
}

/** The container the text is in; raw entries are 'ndjson' here (the splitter refines the raw layouts). */
export function detectFormat(text: string): InputFormat {
  const json = detectJsonContainer(text);
  if (json) {
    return json;
  }
  if (detectSubscription(text)) {
    return 'subscription';
  }
  const csv = detectCsv(text);
  if (csv) {
    return csv;
  }
  if (detectS3Export(text)) {
    return 's3-export';
  }
  return 'ndjson';
}
