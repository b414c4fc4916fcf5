import { gunzipSync } from 'fflate';

import { decodeBase64 } from '../parsing';
import { uploadBytes } from '../query/uploads';
import { SessionStore } from '../sources/sessionStore';
import { compressUpload, readFileBytes, UploadCancelled } from './compressUpload';

/** Text that compresses, as log files do, but not to nothing. */
function logText(lines: number): Uint8Array {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    out.push(
      JSON.stringify({
        timestamp: `2024-01-01 00:00:${String(i % 60).padStart(2, '0')}.000`,
        clientId: `c${i}`,
        n: (i * 7919) % 10007,
      })
    );
  }
  return new TextEncoder().encode(out.join('\n'));
}

const SLICE = 16 * 1024;

/** Byte equality across realms (jsdom's and Node's Uint8Array). */
const bytesOf = (a: Uint8Array | undefined) => Buffer.from(a ?? new Uint8Array(0)).toString('hex');
const immediately = () => Promise.resolve();

describe('compressUpload', () => {
  it('stores the file gzip-compressed and base64-encoded, read back exactly', async () => {
    const bytes = logText(3000);
    expect(bytes.length).toBeGreaterThan(4 * SLICE);
    const store = new SessionStore();
    const source = await compressUpload('a.ndjson', bytes, {
      maxStoredBytes: 1024 * 1024,
      store,
      sliceBytes: SLICE,
      pause: immediately,
    });
    expect(source).toMatchObject({
      type: 'upload',
      fileName: 'a.ndjson',
      size: bytes.length,
      data: expect.any(String),
    });
    expect(bytesOf(gunzipSync(decodeBase64(source.data!)!))).toBe(bytesOf(bytes));
    expect(bytesOf(uploadBytes(source, store).bytes)).toBe(bytesOf(bytes));
  });

  it('pauses between slices and reports growing progress up to 1', async () => {
    const bytes = logText(3000);
    const progress: number[] = [];
    let pauses = 0;
    await compressUpload('a.ndjson', bytes, {
      maxStoredBytes: 1024 * 1024,
      store: new SessionStore(),
      sliceBytes: SLICE,
      pause: () => {
        pauses++;
        return Promise.resolve();
      },
      onProgress: (f) => progress.push(f),
    });
    expect(pauses).toBeGreaterThanOrEqual(Math.floor(bytes.length / SLICE));
    expect(progress.length).toBeGreaterThan(4);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(1);
  });

  it('keeps a file over the cap in the session store, stops compressing early, and keeps the previous one (a duplicated query may hold it)', async () => {
    const bytes = logText(20000);
    const store = new SessionStore();
    const previous = {
      type: 'upload' as const,
      fileName: 'old.json',
      size: 1,
      sessionKey: store.put(new Uint8Array([1])),
    };
    const progress: number[] = [];
    const source = await compressUpload('big.ndjson', bytes, {
      maxStoredBytes: 4096,
      store,
      sliceBytes: SLICE,
      pause: immediately,
      onProgress: (f) => progress.push(f),
    });
    expect(source).toEqual({
      type: 'upload',
      fileName: 'big.ndjson',
      size: bytes.length,
      sessionKey: expect.any(String),
    });
    expect(store.get(source.sessionKey!)).toBe(bytes);
    expect(store.get(previous.sessionKey)).toEqual(new Uint8Array([1]));
    // It stopped long before the end of the file.
    expect(progress.filter((f) => f < 1).every((f) => f < 0.5)).toBe(true);
  });

  it('compresses an empty file', async () => {
    const source = await compressUpload('empty.json', new Uint8Array(0), {
      maxStoredBytes: 1024,
      store: new SessionStore(),
      pause: immediately,
    });
    expect(bytesOf(gunzipSync(decodeBase64(source.data!)!))).toBe('');
  });

  it('stops at the next pause when cancelled, with nothing stored or dropped', async () => {
    const bytes = logText(20000);
    const store = new SessionStore();
    const previousKey = store.put(new Uint8Array([1]));
    const controller = new AbortController();
    let slices = 0;
    const result = compressUpload('big.ndjson', bytes, {
      maxStoredBytes: 10 * 1024 * 1024,
      store,
      sliceBytes: SLICE,
      signal: controller.signal,
      pause: () => {
        if (++slices === 2) {
          controller.abort();
        }
        return Promise.resolve();
      },
    });
    await expect(result).rejects.toBeInstanceOf(UploadCancelled);
    expect(store.get(previousKey)).toEqual(new Uint8Array([1]));
  });
});

describe('readFileBytes', () => {
  it('reads a file', async () => {
    expect(bytesOf(await readFileBytes(new Blob(['abc'])))).toBe(bytesOf(new TextEncoder().encode('abc')));
  });

  it('does not start when already cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(readFileBytes(new Blob(['abc']), { signal: controller.signal })).rejects.toBeInstanceOf(
      UploadCancelled
    );
  });
});
