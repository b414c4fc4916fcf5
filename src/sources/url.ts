/** A file under the base URL an administrator set, fetched through the data proxy route. */
import { fingerprint } from '../query/parseCache';
import { checkUrlPath } from '../query/urlPath';
import type { UrlSource } from '../types';
import { SourceError, str, type SourceKind } from './types';

export const urlKind: SourceKind<UrlSource> = {
  type: 'url',
  label: 'URL',
  description: 'A file under the base URL set in the data source',
  ignoresTimeRange: false,
  defaults: () => ({ type: 'url', path: '' }),
  migrate: (s) => ({ type: 'url', path: str(s.path) }),
  hasInput: (source) => source.path.trim() !== '',
  async load(source, ctx) {
    if (!ctx.hasBaseUrl) {
      throw new SourceError('The URL source needs a base URL: an administrator sets it in the data source settings.');
    }
    const checked = checkUrlPath(ctx.interpolate(source.path));
    if (!checked.ok) {
      throw new SourceError(checked.message);
    }
    const bytes = await ctx.fetchUrl(checked.path);
    return { key: [`url:${checked.path}`, fingerprint(bytes)], input: () => bytes };
  },
};
