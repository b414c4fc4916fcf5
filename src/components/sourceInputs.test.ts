import { SessionStore } from '../sources/sessionStore';
import { acceptsFile, EXPLORE_MAX_INLINE, inlineSource, storedBytesLimit } from './sourceInputs';

describe('inlineSource', () => {
  it('keeps text up to the limit in the query, and longer text in the session store', () => {
    const store = new SessionStore();
    expect(inlineSource('x'.repeat(100), store, 100)).toEqual({ type: 'inline', content: 'x'.repeat(100) });
    const first = inlineSource('a'.repeat(101), store, 100);
    expect(first).toEqual({ type: 'inline', content: '', sessionKey: expect.any(String), size: 101 });
    expect(store.get(first.sessionKey!)).toBe('a'.repeat(101));
  });

  it('puts each text under its own key (a duplicated query may hold the old one)', () => {
    const store = new SessionStore();
    const first = inlineSource('a'.repeat(EXPLORE_MAX_INLINE + 1), store, EXPLORE_MAX_INLINE);
    const second = inlineSource('b'.repeat(EXPLORE_MAX_INLINE + 2), store, EXPLORE_MAX_INLINE);
    expect(second.sessionKey).not.toBe(first.sessionKey);
    expect(store.get(first.sessionKey!)).toBe('a'.repeat(EXPLORE_MAX_INLINE + 1));
    expect(store.get(second.sessionKey!)).toBe('b'.repeat(EXPLORE_MAX_INLINE + 2));
  });
});

it('storedBytesLimit is the cap, and in Explore at most its URL share', () => {
  expect(storedBytesLimit(1024 * 1024, false)).toBe(1024 * 1024);
  expect(storedBytesLimit(1024 * 1024, true)).toBe(EXPLORE_MAX_INLINE);
  expect(storedBytesLimit(1000, true)).toBe(1000);
});

it('acceptsFile takes the log file types, in any case', () => {
  expect(acceptsFile('a.JSON')).toBe(true);
  expect(acceptsFile('export.json.gz')).toBe(true);
  expect(acceptsFile('picture.png')).toBe(false);
});
