/** Entries pasted into the query (big text in Explore is held by session key, see InlineSource). */
import type { InlineSource } from '../types';
import { SourceError, str, type SourceKind } from './types';

export const inlineKind: SourceKind<InlineSource> = {
  type: 'inline',
  label: 'Paste',
  description: 'Entries pasted into the query',
  ignoresTimeRange: true,
  defaults: () => ({ type: 'inline', content: '' }),
  migrate: (s) => ({
    type: 'inline',
    content: str(s.content),
    ...(typeof s.sessionKey === 'string' ? { sessionKey: s.sessionKey } : {}),
    ...(typeof s.size === 'number' && s.size >= 0 ? { size: s.size } : {}),
  }),
  hasInput: (source) => source.content !== '' || source.sessionKey !== undefined,
  async load(source, ctx) {
    if (source.sessionKey === undefined) {
      return { key: ['inline', source.content], input: () => source.content };
    }
    const text = ctx.sessions.get(source.sessionKey);
    if (typeof text !== 'string') {
      throw new SourceError(
        'The pasted text was kept for the browser session in which it was pasted, and that session has ended: paste it again, or upload it as a file.'
      );
    }
    return {
      key: ['inline-session', source.sessionKey],
      input: () => text,
      warning: 'The pasted text is kept for this browser session only: the URL and history hold a reference to it.',
    };
  },
};
