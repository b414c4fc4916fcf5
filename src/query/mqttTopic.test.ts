import { isTopicField, matchesTopic, parseTopicFilter, topicFilterProblem } from './mqttTopic';

function matches(filter: string, topic: string): boolean {
  const parsed = parseTopicFilter(filter);
  if (parsed instanceof Error) {
    throw parsed;
  }
  return matchesTopic(parsed, topic);
}

describe('MQTT topic filters', () => {
  it.each([
    ['a/b/c', 'a/b/c', true],
    ['a/b/c', 'a/b', false],
    ['a/b/c', 'a/b/c/d', false],
    ['a/b', 'a/bc', false],
    ['a/+/c', 'a/b/c', true],
    ['a/+/c', 'a//c', true],
    ['a/+/c', 'a/b/d', false],
    ['a/+/c', 'a/b/x/c', false],
    ['a/+', 'a/', true],
    ['a/+', 'a', false],
    ['+', 'a', true],
    ['+', 'a/b', false],
    ['+', '/a', false],
    ['+/+', '/a', true],
    ['+/#', 'a', true],
    ['a/#', 'a', true],
    ['a/#', 'a/', true],
    ['a/#', 'a/b/c', true],
    ['a/#', 'ab', false],
    ['a/#', 'b/a', false],
    ['#', 'a/b/c', true],
    ['#', '/', true],
    ['a//b', 'a//b', true],
    ['a//b', 'a/b', false],
    ['/#', '/a', true],
    ['/#', 'a', false],
    ['A/b', 'a/b', false],
  ])('%s matches %s: %s', (filter, topic, expected) => {
    expect(matches(filter, topic)).toBe(expected);
  });

  it('keeps topics starting with $ away from filters starting with a wildcard', () => {
    expect(matches('#', '$aws/things/t1/shadow/update')).toBe(false);
    expect(matches('+/things/t1/shadow/update', '$aws/things/t1/shadow/update')).toBe(false);
    expect(matches('+/#', '$SYS/x')).toBe(false);
    expect(matches('$aws/things/+/shadow/#', '$aws/things/t1/shadow/update')).toBe(true);
    expect(matches('$aws/things/+/shadow/#', '$aws/things/t1/shadow/name/s/get/accepted')).toBe(true);
    expect(matches('$aws/#', '$aws')).toBe(true);
    expect(matches('a/#', 'a/$x')).toBe(true);
    expect(matches('+/$x', 'a/$x')).toBe(true);
  });

  it.each(['', 'a/#/b', 'a+', 'a/b#', '#/a', 'a/+b', '##', 'x\u0000'])('rejects %j', (filter) => {
    expect(topicFilterProblem(filter)).toEqual(expect.any(String));
    expect(parseTopicFilter(filter)).toBeInstanceOf(Error);
  });

  it.each(['a', '#', '+', '/', 'a/+/#', '$aws/things/+/shadow/#', 'a b/c'])('accepts %j', (filter) => {
    expect(topicFilterProblem(filter)).toBeUndefined();
  });

  it('finds topic fields by name', () => {
    expect(
      ['topicName', 'resources.RepublishTopic', 'topic', 'x.topic', 'resources.topicName'].map(isTopicField)
    ).toEqual([true, true, true, true, true]);
    expect(['clientId', 'topics', 'Topic.name', 'topicNames'].map(isTopicField)).toEqual([false, false, false, false]);
  });
});
