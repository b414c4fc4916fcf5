import { SessionStore } from '../sources/sessionStore';
import { getDefaultQuery, type IotLogsQuery } from '../types';
import { clearedSource, hasInput, switchSource } from './sourceSwitch';

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
