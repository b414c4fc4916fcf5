/**
 * Where a query's input comes from: pasted text, an uploaded file, a file under the configured base
 * URL, or the bundled sample. Each gives a cache key that changes whenever the input does.
 */
import type { RawInput } from '../parsing/decode';
import { rebaseSample, sampleOffset } from '../sample/rebase';
import type { SessionStore } from '../sources/sessionStore';
import type { IotLogsQuery } from '../types';
import { fingerprint } from './parseCache';
import { uploadBytes } from './uploads';
import { checkUrlPath } from './urlPath';

/** What runQuery needs from Grafana; the data source provides it, tests fake it. */
export interface SourceContext {
  /** Fetches a path under the base URL through the data proxy route; rejects with a user-facing message. */
  fetchUrl(path: string): Promise<Uint8Array>;
  /** True when an administrator set a base URL. */
  hasBaseUrl: boolean;
  /** The bundled sample (its text, as shipped). */
  loadSample(): Promise<string>;
  /** Content kept for this browser session by key (large uploads). */
  sessions: SessionStore;
}

export interface LoadedInput {
  /** What identifies the input: kind and identity (compared with ===). */
  key: readonly [string, string | number];
  input: () => RawInput;
  /** Something the user should know about the source (session-only upload, damaged stored copy). */
  warning?: string;
}

export class SourceError extends Error {}

export async function loadInput(query: IotLogsQuery, rangeTo: number, ctx: SourceContext): Promise<LoadedInput> {
  const source = query.source;
  switch (source.type) {
    case 'inline':
      return { key: ['inline', source.content], input: () => source.content };
    case 'upload': {
      if (source.data === undefined && source.sessionKey === undefined) {
        // No file chosen yet.
        return { key: ['upload-none', 0], input: () => '' };
      }
      const loaded = uploadBytes(source, ctx.sessions);
      if (!loaded.bytes) {
        throw new SourceError(loaded.error);
      }
      const bytes = loaded.bytes;
      const key: LoadedInput['key'] =
        source.data !== undefined ? ['upload', source.data] : ['session', source.sessionKey!];
      const warning =
        loaded.error ??
        (source.sessionKey
          ? `${source.fileName} is larger than what a dashboard may store, so it is kept for this browser session only: the saved dashboard will not carry it. Serve large files through the URL source.`
          : undefined);
      return { key, input: () => bytes, warning };
    }
    case 'url': {
      if (!ctx.hasBaseUrl) {
        throw new SourceError('The URL source needs a base URL: an administrator sets it in the data source settings.');
      }
      const checked = checkUrlPath(source.path);
      if (!checked.ok) {
        throw new SourceError(checked.message);
      }
      const bytes = await ctx.fetchUrl(checked.path);
      return { key: [`url:${checked.path}`, fingerprint(bytes)], input: () => bytes };
    }
    case 'sample': {
      const text = await ctx.loadSample();
      const offset = sampleOffset(rangeTo);
      return { key: ['sample', offset], input: () => rebaseSample(text, offset) };
    }
  }
}
