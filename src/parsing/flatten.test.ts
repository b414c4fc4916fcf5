import { flattenEntry } from './flatten';

describe('flattenEntry', () => {
  it('names nested keys with dots and keeps arrays whole', () => {
    const entry = { a: 1, resources: { RepublishTopic: 'rules/republish', deep: { x: true } }, list: [{ b: 1 }] };
    expect({ ...flattenEntry(entry) }).toEqual({
      a: 1,
      'resources.RepublishTopic': 'rules/republish',
      'resources.deep.x': true,
      list: [{ b: 1 }],
    });
  });

  it('does not change the entry', () => {
    const entry = { resources: { a: 'b' } };
    flattenEntry(entry);
    expect(entry).toEqual({ resources: { a: 'b' } });
  });

  it('treats __proto__ and constructor as ordinary keys', () => {
    const entry = JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": "c", "x": {"__proto__": "p"}}');
    const row = flattenEntry(entry);
    expect(Object.getPrototypeOf(row)).toBeNull();
    expect(Object.keys(row).sort()).toEqual(['__proto__.polluted', 'constructor', 'x.__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
