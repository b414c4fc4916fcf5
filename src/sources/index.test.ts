import { SOURCE_EDITORS } from './editors';
import { migrateSource, SOURCE_TYPES, SOURCES, sourceKind } from './index';

describe('the source registry', () => {
  it.each(SOURCE_TYPES)('%s: a kind with a label, a description, defaults and an editor', (type) => {
    const kind = sourceKind(type);
    expect(kind.type).toBe(type);
    expect(kind.label).not.toBe('');
    expect(kind.description).not.toBe('');
    expect(typeof SOURCE_EDITORS[type]).toBe('function');
    const defaults = kind.defaults();
    expect(defaults.type).toBe(type);
    // Defaults are complete: migrating them changes nothing.
    expect(kind.migrate({ ...defaults })).toEqual(defaults);
    expect(migrateSource(defaults)).toEqual(defaults);
    // Every call makes a new source, so that no query shares another's.
    expect(kind.defaults()).not.toBe(defaults);
  });

  it('lists every kind once, under its own type', () => {
    expect(SOURCE_TYPES).toEqual(['inline', 'upload', 'url', 'sample', 'cloudwatch', 'default']);
    for (const [type, kind] of Object.entries(SOURCES)) {
      expect(kind.type).toBe(type);
    }
    expect(new Set(SOURCE_TYPES.map((type) => sourceKind(type).label)).size).toBe(SOURCE_TYPES.length);
  });

  it('has an editor for every kind and no other', () => {
    expect(Object.keys(SOURCE_EDITORS).sort()).toEqual([...SOURCE_TYPES].sort());
  });

  it('reads an unknown or missing type as pasted text', () => {
    expect(migrateSource({ type: 'ftp', content: 'x' })).toEqual({ type: 'inline', content: 'x' });
    expect(migrateSource(undefined)).toEqual({ type: 'inline', content: '' });
    // Names of Object.prototype are not source types.
    for (const type of ['constructor', 'toString', '__proto__']) {
      expect(migrateSource({ type })).toEqual({ type: 'inline', content: '' });
    }
  });
});
