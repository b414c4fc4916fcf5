/**
 * MQTT topic filters (MQTT 3.1.1 §4.7 and MQTT 5 §4.7), as the topic filter of a query uses them:
 * - Levels are separated by `/`; an empty level is a level (`a//b` has three, `a/` has two).
 * - `+` matches exactly one level (which may be empty) and must be the whole level.
 * - `#` matches the parent level and any number of levels below it (`a/#` matches `a`, `a/b`, `a/b/c`);
 *   it must be the whole level and the last one.
 * - A topic starting with `$` (`$aws/things/x/shadow/update`) is not matched by a filter whose first
 *   level is a wildcard: `#` and `+/things/...` do not match it, `$aws/things/+/shadow/#` does.
 * - A filter is at least one character long and has no NUL character.
 */

/** A filter split into its levels, checked once. */
export interface TopicFilter {
  readonly filter: string;
  readonly levels: readonly string[];
  /** The first level is `+` or `#`: topics starting with `$` are not matched. */
  readonly wildcardFirst: boolean;
}

/** Why a text is not a valid MQTT topic filter, or undefined when it is one. */
export function topicFilterProblem(filter: string): string | undefined {
  if (filter.length === 0) {
    return 'a topic filter is at least one character long';
  }
  if (filter.includes('\u0000')) {
    return 'a topic filter may not contain the NUL character';
  }
  const levels = filter.split('/');
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i];
    if (level.includes('#')) {
      if (level !== '#') {
        return '"#" must be a whole level (as in "a/#")';
      }
      if (i !== levels.length - 1) {
        return '"#" must be the last level';
      }
    }
    if (level.includes('+') && level !== '+') {
      return '"+" must be a whole level (as in "a/+/c")';
    }
  }
  return undefined;
}

/** The filter's levels, or an Error whose message says why it is not a valid topic filter. */
export function parseTopicFilter(filter: string): TopicFilter | Error {
  const problem = topicFilterProblem(filter);
  if (problem !== undefined) {
    return new Error(problem);
  }
  const levels = filter.split('/');
  return { filter, levels, wildcardFirst: levels[0] === '+' || levels[0] === '#' };
}

/**
 * Whether a topic name matches a parsed filter. Walks the topic in place (no split, no allocation):
 * this runs once per row or per distinct topic of a column.
 */
export function matchesTopic(filter: TopicFilter, topic: string): boolean {
  if (filter.wildcardFirst && topic.charCodeAt(0) === 36 /* $ */) {
    return false;
  }
  const levels = filter.levels;
  // Start of the topic's current level; -1 once the topic has no level left.
  let pos = 0;
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i];
    if (level === '#') {
      return true;
    }
    if (pos < 0) {
      return false;
    }
    const slash = topic.indexOf('/', pos);
    const end = slash < 0 ? topic.length : slash;
    if (level !== '+' && (end - pos !== level.length || !topic.startsWith(level, pos))) {
      return false;
    }
    pos = slash < 0 ? -1 : slash + 1;
  }
  return pos < 0;
}

/**
 * Whether a column holds MQTT topics: `topicName` (also nested, `x.topicName`), or a column whose last
 * dotted segment ends in `topic` or `Topic` (`resources.RepublishTopic`).
 */
export function isTopicField(name: string): boolean {
  const last = name.slice(name.lastIndexOf('.') + 1);
  return last === 'topicName' || last.endsWith('topic') || last.endsWith('Topic');
}
