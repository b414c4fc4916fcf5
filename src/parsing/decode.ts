/**
 * Step 1: bytes → text. UTF-8 with or without a byte order mark; CRLF is left to the splitter,
 * which treats `\r` as white space outside strings.
 */
export type RawInput = string | Uint8Array | ArrayBuffer;

const BOM = 0xfeff;

let decoder: TextDecoder | undefined;

/** The largest input read as text: browsers cannot hold much longer strings (V8: 2^29 − 24 characters). */
export const MAX_INPUT_CHARS = 512 * 1024 * 1024 - 64;

/** Decodes input to a string without a leading BOM. Invalid UTF-8 bytes become U+FFFD. */
export function decodeInput(input: RawInput): string {
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else {
    decoder ??= new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
    const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
    text = decoder.decode(bytes);
  }
  return text.charCodeAt(0) === BOM ? text.slice(1) : text;
}

/** Size of the input in bytes (UTF-16 length for strings is a good enough stand-in for stats). */
export function inputSize(input: RawInput): number {
  return typeof input === 'string' ? input.length : input.byteLength;
}
