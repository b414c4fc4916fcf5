/**
 * Step 1: the input as text, and which container it is. Binary input is unwrapped wherever magic bytes
 * say so (gzip, gzip inside gzip, a zip of files) and decoded from UTF-8, UTF-16 or UTF-32; text that
 * is base64 of gzip (a pasted `awslogs.data`) is unwrapped the same way.
 */
import { detectJsonContainer } from './containers/json';
import { detectCsv } from './containers/csv';
import { detectS3Export } from './containers/s3';
import { detectSubscription } from './containers/subscription';
import { decodeInput, inputSize, unpackInput, type RawInput } from './decode';
import { decodeBase64, isGzip } from './gzip';
import type { InputFormat } from './types';

export interface PreparedInput {
  text: string;
  inputSize: number;
  /** The outermost layer unwrapped: gzip (maybe several layers deep) or a zip of files. */
  compression?: 'gzip' | 'zip';
  notes: string[];
  /** What unpacking did that is no problem (see UnpackedText.info). */
  info: string[];
}

export function prepareInput(input: RawInput, maxInflatedBytes?: number): PreparedInput {
  const size = inputSize(input);
  if (typeof input !== 'string') {
    const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
    return { ...unpackInput(bytes, maxInflatedBytes), inputSize: size };
  }
  const text = decodeInput(input);
  if (/^\s*H4sI/.test(text.slice(0, 64))) {
    const bytes = decodeBase64(text.trim());
    if (bytes && isGzip(bytes)) {
      return { ...unpackInput(bytes, maxInflatedBytes), inputSize: size };
    }
  }
  return { text, inputSize: size, notes: [], info: [] };
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
