import { migrateQuery } from '../migrations/migrateQuery';
import { getDefaultQuery, type IotLogsQuery } from '../types';
import { clearedSource, hasInput, switchSource } from './sourceSwitch';

const query = (patch: Partial<IotLogsQuery> = {}): IotLogsQuery => ({ refId: 'A', ...getDefaultQuery(), ...patch });

describe('switchSource', () => {
  it('keeps the input of the source left in the query, with its time range choice, and restores it when switching back', () => {
    const pasted = query({ source: { type: 'inline', content: 'pasted' }, ignoreTimeRange: false });
    const toSample = switchSource(pasted, 'sample');
    expect(toSample).toMatchObject({
      source: { type: 'sample' },
      ignoreTimeRange: false,
      keptSources: { inline: { source: { type: 'inline', content: 'pasted' }, ignoreTimeRange: false } },
    });
    const sampleIgnoring = { ...toSample, ignoreTimeRange: true };
    const toUpload = switchSource(sampleIgnoring, 'upload');
    expect(toUpload.source).toEqual({ type: 'upload', fileName: '', size: 0 });
    const back = switchSource(toUpload, 'inline');
    expect(back).toMatchObject({ source: { type: 'inline', content: 'pasted' }, ignoreTimeRange: false });
    // The sample's choice to ignore the time range is kept too; an empty upload is not kept.
    expect(back.keptSources).toEqual({ sample: { source: { type: 'sample' }, ignoreTimeRange: true } });
    expect(switchSource(back, 'sample')).toMatchObject({ source: { type: 'sample' }, ignoreTimeRange: true });
  });

  it('survives the query being saved and read again (migration)', () => {
    const toSample = switchSource(query({ source: { type: 'inline', content: 'pasted' } }), 'sample');
    const reloaded = migrateQuery(JSON.parse(JSON.stringify(toSample)));
    expect(switchSource(reloaded, 'inline').source).toEqual({ type: 'inline', content: 'pasted' });
  });

  it('never changes the query it was given', () => {
    const frozen = Object.freeze(query({ source: { type: 'inline', content: 'x' } }));
    expect(() => switchSource(frozen, 'url')).not.toThrow();
    expect(frozen.keptSources).toBeUndefined();
  });
});

it('clearedSource empties the source; its session content stays for a duplicated query that holds it', () => {
  expect(clearedSource({ type: 'upload', fileName: 'a.json', size: 1, sessionKey: 'k' })).toEqual({
    type: 'upload',
    fileName: '',
    size: 0,
  });
  expect(clearedSource({ type: 'inline', content: 'x' })).toEqual({ type: 'inline', content: '' });
});

it('hasInput says whether there is something to read', () => {
  expect(hasInput({ type: 'inline', content: '' })).toBe(false);
  expect(hasInput({ type: 'inline', content: '', sessionKey: 'k', size: 1 })).toBe(true);
  expect(hasInput({ type: 'upload', fileName: '', size: 0 })).toBe(false);
  expect(hasInput({ type: 'upload', fileName: 'a', size: 1, data: '' })).toBe(true);
  expect(hasInput({ type: 'url', path: ' ' })).toBe(false);
  expect(hasInput({ type: 'sample' })).toBe(true);
});
