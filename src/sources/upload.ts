/**
 * A file the user uploaded: stored in the query compressed when that fits the data source's cap,
 * otherwise kept for the browser session (src/query/uploads.ts).
 */
import { uploadBytes } from '../query/uploads';
import type { UploadSource } from '../types';
import { SourceError, str, type LoadedInput, type SourceKind } from './types';

/** Whether a file was chosen (stored in the query or kept for the session). */
const hasFile = (source: UploadSource) => source.data !== undefined || source.sessionKey !== undefined;

export const uploadKind: SourceKind<UploadSource> = {
  type: 'upload',
  label: 'Upload',
  description: 'A file from your computer',
  ignoresTimeRange: true,
  defaults: () => ({ type: 'upload', fileName: '', size: 0 }),
  migrate: (s) => ({
    type: 'upload',
    fileName: str(s.fileName, 'upload'),
    size: typeof s.size === 'number' && s.size >= 0 ? s.size : 0,
    ...(typeof s.data === 'string' ? { data: s.data } : {}),
    ...(typeof s.sessionKey === 'string' ? { sessionKey: s.sessionKey } : {}),
  }),
  hasInput: hasFile,
  async load(source, ctx) {
    if (!hasFile(source)) {
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
  },
};
