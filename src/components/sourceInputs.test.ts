import { SessionStore } from '../sources/sessionStore';
import { getDefaultQuery, type IotLogsQuery } from '../types';
import {
  acceptsFile,
  clearedSource,
  EXPLORE_MAX_INLINE,
  hasInput,
  inlineSource,
  storedBytesLimit,
  switchSource,
} from './sourceInputs';

const query = (patch: Partial<IotLogsQuery> = {}): IotLogsQuery => ({ refId: 'A', ...getDefaultQuery(), ...patch });

describe('switchSource', () => {
  it('keeps the input of the source left and restores it when switching back', () => {
    const pasted = query({ source: { type: 'inline', content: 'pasted' } });
    const toSample = switchSource(pasted, 'sample', {});
    expect(toSample.query).toMatchObject({ source: { type: 'sample' }, ignoreTimeRange: false });
    const toUpload = switchSource(toSample.query, 'upload', toSample.kept);
    expect(toUpload.query.source).toEqual({ type: 'upload', fileName: '', size: 0 });
    const back = switchSource(toUpload.query, 'inline', toUpload.kept);
    expect(back.query).toMatchObject({ source: { type: 'inline', content: 'pasted' }, ignoreTimeRange: true });
  });

  it('never changes the map it was given', () => {
    const kept = Object.freeze({});
    expect(() => switchSource(query(), 'url', kept)).not.toThrow();
    expect(kept).toEqual({});
  });
});

describe('inlineSource', () => {
  it('keeps text in the query outside Explore, whatever its size', () => {
    const store = new SessionStore();
    const text = 'x'.repeat(EXPLORE_MAX_INLINE + 1);
    expect(inlineSource(text, { type: 'inline', content: '' }, store, false)).toEqual({
      type: 'inline',
      content: text,
    });
  });

  it('puts big text in the session store in Explore, replacing the previous one', () => {
    const store = new SessionStore();
    const first = inlineSource('a'.repeat(EXPLORE_MAX_INLINE + 1), { type: 'inline', content: '' }, store, true);
    expect(first).toEqual({
      type: 'inline',
      content: '',
      sessionKey: expect.any(String),
      size: EXPLORE_MAX_INLINE + 1,
    });
    const second = inlineSource('b'.repeat(EXPLORE_MAX_INLINE + 2), first, store, true);
    expect(store.get(first.sessionKey!)).toBeUndefined();
    expect(store.get(second.sessionKey!)).toBe('b'.repeat(EXPLORE_MAX_INLINE + 2));
    // Small text again: back in the query, the session text let go.
    expect(inlineSource('small', second, store, true)).toEqual({ type: 'inline', content: 'small' });
    expect(store.get(second.sessionKey!)).toBeUndefined();
    expect(
      inlineSource('x'.repeat(EXPLORE_MAX_INLINE), { type: 'inline', content: '' }, store, true).sessionKey
    ).toBeUndefined();
  });
});

it('clearedSource empties the source and lets its session content go', () => {
  const store = new SessionStore();
  const key = store.put(new Uint8Array([1]));
  expect(clearedSource({ type: 'upload', fileName: 'a.json', size: 1, sessionKey: key }, store)).toEqual({
    type: 'upload',
    fileName: '',
    size: 0,
  });
  expect(store.get(key)).toBeUndefined();
  expect(clearedSource({ type: 'inline', content: 'x' }, store)).toEqual({ type: 'inline', content: '' });
});

it('hasInput says whether there is something to read', () => {
  expect(hasInput({ type: 'inline', content: '' })).toBe(false);
  expect(hasInput({ type: 'inline', content: '', sessionKey: 'k', size: 1 })).toBe(true);
  expect(hasInput({ type: 'upload', fileName: '', size: 0 })).toBe(false);
  expect(hasInput({ type: 'upload', fileName: 'a', size: 1, data: '' })).toBe(true);
  expect(hasInput({ type: 'url', path: ' ' })).toBe(false);
  expect(hasInput({ type: 'sample' })).toBe(true);
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
