/**
 * The page's own copy of the input a worker was sent, as text to cut bodies out of (see the `slices`
 * packing in tableCodec.ts): a string is cut as it is; bytes of ASCII text are decoded a chunk at a
 * time as bodies ask for them, so that the page never decodes more than a chunk in one step.
 */

export interface InputText {
  /** Units [start, end) of the piece the worker was sent, as text. */
  slice(start: number, end: number): string;
  /** Units decoded so far: work done, to pause between steps. */
  readonly decoded: number;
}

/** The input as the page has it, and the piece of it a worker was sent; `origin` skips a byte order mark. */
export type InputSource = (origin: number) => InputText;

/** Bytes decoded at once. */
export const CHUNK_BYTES = 1 << 20;

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

class StringText implements InputText {
  readonly decoded = 0;
  constructor(
    private readonly text: string,
    private readonly offset: number
  ) {}
  slice(start: number, end: number): string {
    return this.text.slice(this.offset + start, this.offset + end);
  }
}

/**
 * Bytes [from, to) of the input, where every byte is one character (the worker checked: ASCII text,
 * or bytes that are not UTF-8 each read as U+FFFD), decoded in chunks of CHUNK_BYTES as needed.
 */
class BytesText implements InputText {
  decoded = 0;
  private readonly chunks: string[] = [];
  constructor(
    private readonly bytes: Uint8Array,
    /** Where the piece starts in the input (offsets are counted from there). */
    private readonly offset: number,
    /** Where its text starts (after a byte order mark) and ends. */
    private readonly from: number,
    private readonly to: number
  ) {}

  private chunk(k: number): string {
    let text = this.chunks[k];
    if (text === undefined) {
      const start = this.from + k * CHUNK_BYTES;
      const bytes = this.bytes.subarray(start, Math.min(this.to, start + CHUNK_BYTES));
      text = decoder.decode(bytes);
      this.chunks[k] = text;
      this.decoded += bytes.length;
    }
    return text;
  }

  slice(start: number, end: number): string {
    let at = this.offset + start - this.from;
    const stop = this.offset + end - this.from;
    let out = '';
    while (at < stop) {
      const k = Math.floor(at / CHUNK_BYTES);
      const base = k * CHUNK_BYTES;
      const part = this.chunk(k).slice(at - base, Math.min(stop, base + CHUNK_BYTES) - base);
      // A body within one chunk (nearly all of them) is a slice of it, not a copy.
      out = out === '' ? part : out + part;
      at = base + CHUNK_BYTES;
    }
    return out;
  }
}

/** The source of the bodies of the piece [start, end) of `input` (the page's copy). */
export function inputSource(input: string | Uint8Array, start: number, end: number): InputSource {
  const made = new Map<number, InputText>();
  return (origin) => {
    let text = made.get(origin);
    if (!text) {
      text =
        typeof input === 'string' ? new StringText(input, start) : new BytesText(input, start, start + origin, end);
      made.set(origin, text);
    }
    return text;
  };
}
