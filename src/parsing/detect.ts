/**
 * Step 1: the input as text, and which container it is. gzip is inflated wherever its magic bytes are
 * found: a binary input, or text that is base64 of gzip (a pasted `awslogs.data`).
 */
import { detectJsonContainer } from './containers/json';
import { detectCsv } from './containers/csv';
import { detectS3Export } from './containers/s3';
import { detectSubscription } from './containers/subscription';
import { decodeInput, inputSize, type RawInput } from './decode';
import { decodeBase64, gunzipLimited, isGzip, looksLikeBase64Gzip } from './gzip';
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

export function prepareInput(input: RawInput, maxInflatedBytes?: number): PreparedInput {
  const notes: string[] = [];
  const size = inputSize(input);
  if (typeof input !== 'string') {
    const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
    if (isGzip(bytes)) {
      return {
        text: decodeInput(inflate(bytes, maxInflatedBytes, notes)),
        inputSize: size,
        compression: 'gzip',
        notes,
      };
    }
    return { text: decodeInput(bytes), inputSize: size, notes };
  }
  const text = decodeInput(input);
  const trimmed = text.trim();
  if (looksLikeBase64Gzip(trimmed)) {
    const bytes = decodeBase64(trimmed);
    if (bytes && isGzip(bytes)) {
      return {
        text: decodeInput(inflate(bytes, maxInflatedBytes, notes)),
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
