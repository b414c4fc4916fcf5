import { SessionStore } from '../sources/sessionStore';
import { acceptsFile, EXPLORE_MAX_INLINE, inlineSource, storedBytesLimit } from './sourceInputs';

describe('inlineSource', () => {
  it('keeps text in the query outside Explore, whatever its size', () => {
    const store = new SessionStore();
    const text = 'x'.repeat(EXPLORE_MAX_INLINE + 1);
    expect(inlineSource(text, { type: 'inline', content: '' }, store, false)).toEqual({
      type: 'inline',
      content: text,
    });
  });

  it('puts big text in the session store in Explore, each text under its own key (a duplicated query may hold the old one)', () => {
    const store = new SessionStore();
    const first = inlineSource('a'.repeat(EXPLORE_MAX_INLINE + 1), { type: 'inline', content: '' }, store, true);
    expect(first).toEqual({
      type: 'inline',
      content: '',
      sessionKey: expect.any(String),
      size: EXPLORE_MAX_INLINE + 1,
    });
    const second = inlineSource('b'.repeat(EXPLORE_MAX_INLINE + 2), first, store, true);
    expect(second.sessionKey).not.toBe(first.sessionKey);
    expect(store.get(first.sessionKey!)).toBe('a'.repeat(EXPLORE_MAX_INLINE + 1));
    expect(store.get(second.sessionKey!)).toBe('b'.repeat(EXPLORE_MAX_INLINE + 2));
    // Small text again: back in the query.
    expect(inlineSource('small', second, store, true)).toEqual({ type: 'inline', content: 'small' });
    expect(
      inlineSource('x'.repeat(EXPLORE_MAX_INLINE), { type: 'inline', content: '' }, store, true).sessionKey
    ).toBeUndefined();
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
