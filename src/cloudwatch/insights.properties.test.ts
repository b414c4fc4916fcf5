/**
 * Property tests of the Logs Insights writer: its literals read back (with a small tokenizer written
 * here) as exactly what was written, no value ever appears outside a literal, and every regular
 * expression it writes matches at least what the plugin's own filter keeps.
 */
import fc from 'fast-check';

import { NO_FILTER, type ResolvedFieldFilter, type RowFilter } from '../query/filter';
import { matchesTopic, parseTopicFilter } from '../query/mqttTopic';
import { FILTER_OPERATORS } from '../types';
import { entriesQuery, fieldName, quoteString, regexLiteral, statsQuery, translateJsRegex } from './insights';

// ---------------------------------------------------------------------------------------------------
// A tokenizer for the query text: strings ("…", '…' with backslash escapes), regular expressions
// (/…/ with backslash escapes), backticked names, and everything else one character at a time.

type Token = { kind: 'string' | 'regex' | 'name'; text: string } | { kind: 'other'; text: string };

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const c = query[i];
    if (c === '"' || c === "'" || c === '/' || c === '`') {
      let j = i + 1;
      let text = '';
      while (j < query.length && query[j] !== c) {
        if (query[j] === '\\' && c !== '`') {
          text += c === '/' ? query.slice(j, j + 2) : query[j + 1];
          j += 2;
        } else {
          text += query[j++];
        }
      }
      if (j >= query.length) {
        throw new Error(`unterminated ${c} at ${i}: ${query}`);
      }
      tokens.push({ kind: c === '/' ? 'regex' : c === '`' ? 'name' : 'string', text });
      i = j + 1;
    } else {
      tokens.push({ kind: 'other', text: c });
      i++;
    }
  }
  return tokens;
}

/** A CWLI regular expression in JavaScript (`\x{HEX}` → `\u{HEX}` with the u flag; our output only). */
function toJsRegex(source: string): RegExp {
  let flags = 'u';
  let s = source;
  if (s.startsWith('(?i)')) {
    s = s.slice(4);
    flags += 'i';
  }
  // Inner (?i) groups (several =~ values): case-insensitive as a whole here (tests only compare looser).
  if (s.includes('(?i)')) {
    s = s.split('(?i)').join('');
    flags = flags.includes('i') ? flags : flags + 'i';
  }
  return new RegExp(s.replace(/\\x\{([0-9A-F]+)\}/g, '\\u{$1}'), flags);
}

const text = fc.string({
  unit: fc.constantFrom(
    'a',
    'B',
    'k',
    '0',
    '|',
    '"',
    "'",
    '\\',
    '/',
    '`',
    '#',
    '\n',
    ' ',
    'é',
    'É',
    '😀',
    '\u212a',
    '.',
    '*',
    '$',
    '^',
    '[',
    '(',
    '\u2028'
  ),
});
const anyText = fc.oneof(text, fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }));

describe('literals read back exactly', () => {
  it('quoteString', () => {
    fc.assert(
      fc.property(anyText, (value) => {
        let literal: string;
        try {
          literal = quoteString(value);
        } catch {
          return /[\u0000-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udfff]/.test(value);
        }
        const tokens = tokenize(literal);
        return tokens.length === 1 && tokens[0].kind === 'string' && tokens[0].text === value;
      })
    );
  });

  it('regexLiteral: one regex token, printable ASCII, same regular expression', () => {
    fc.assert(
      fc.property(anyText, fc.boolean(), (value, ci) => {
        const source = value.replace(/\\+$/, '').replace(/\\[QE]/g, '');
        const literal = regexLiteral(source, ci);
        const tokens = tokenize(literal);
        if (tokens.length !== 1 || tokens[0].kind !== 'regex' || !/^[\x21-\x7e]*$/.test(tokens[0].text)) {
          return false;
        }
        // Decoding the \x{…} escapes gives back the source, where an escaped character the literal
        // cannot hold (a slash, a space, a quote…) is the character itself.
        let expected = ci ? '(?i)' : '';
        const chars = Array.from(source);
        for (let i = 0; i < chars.length; i++) {
          if (chars[i] === '\\') {
            const next = chars[++i];
            expected += /^[\x21-\x7e]$/.test(next) && !'/"\'`#'.includes(next) ? `\\${next}` : next;
          } else {
            expected += chars[i];
          }
        }
        return decode(tokens[0].text) === decode(expected);
      })
    );
  });

  it('fieldName: bare or one backticked name', () => {
    fc.assert(
      fc.property(anyText, (name) => {
        let written: string;
        try {
          written = fieldName(name);
        } catch {
          return true;
        }
        if (written === name) {
          return /^@?[A-Za-z][A-Za-z0-9.]*$/.test(name);
        }
        const tokens = tokenize(written.startsWith('@') ? written.slice(1) : written);
        return (
          tokens.length === 1 &&
          tokens[0].kind === 'name' &&
          (written.startsWith('@') ? '@' : '') + tokens[0].text === name
        );
      })
    );
  });
});

/** `\x{HEX}` escapes as their characters, reading escapes left to right; other escapes kept. */
function decode(written: string): string {
  let out = '';
  for (let i = 0; i < written.length; i++) {
    const m = written[i] === '\\' ? /^\\x\{([0-9A-Fa-f]+)\}/.exec(written.slice(i)) : null;
    if (m) {
      out += String.fromCodePoint(parseInt(m[1], 16));
      i += m[0].length - 1;
    } else if (written[i] === '\\') {
      out += written.slice(i, i + 2);
      i++;
    } else {
      out += written[i];
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Queries for arbitrary filters

const op = fc.constantFrom(...FILTER_OPERATORS);
const fieldNames = fc.oneof(
  fc.constantFrom(
    'clientId',
    'reason',
    'sourcePort',
    'eventType',
    'component',
    'body',
    'timestamp',
    'thingName',
    'a-b',
    'x`y',
    'in'
  ),
  anyText
);
const fieldFilter: fc.Arbitrary<ResolvedFieldFilter> = fc.record({
  field: fieldNames,
  op,
  values: fc.array(anyText, { maxLength: 3 }),
});
const rowFilter: fc.Arbitrary<RowFilter> = fc.record({
  components: fc.array(fc.oneof(fc.constantFrom('jobs', 'unknown', 'ocsp'), anyText), { maxLength: 2 }),
  eventTypes: fc.array(fc.oneof(fc.constantFrom('Connect', 'Publish-In'), anyText), { maxLength: 2 }),
  statuses: fc.array(anyText, { maxLength: 2 }),
  logLevels: fc.array(anyText, { maxLength: 2 }),
  fieldFilters: fc.array(fieldFilter, { maxLength: 3 }),
  topicFilters: fc.array(fc.oneof(fc.constantFrom('a/+/c', '#', '$aws/things/+/shadow/#'), anyText), { maxLength: 2 }),
  search: fc.oneof(anyText, fc.array(anyText, { maxLength: 2 })),
});

/** The query's commands: the text between `|` outside literals. */
function commands(query: string): string[] {
  const out: string[] = [''];
  for (const t of tokenize(query)) {
    if (t.kind === 'other' && t.text === '|') {
      out.push('');
    } else {
      out[out.length - 1] += t.kind === 'other' ? t.text : `<${t.kind}>`;
    }
  }
  return out.map((c) => c.trim());
}

describe('queries for arbitrary filters', () => {
  it('have only the commands written here: fields, filter…, sort, limit; no raw value outside literals', () => {
    fc.assert(
      fc.property(rowFilter, fc.integer({ min: -5, max: 20_000 }), (filter, limit) => {
        const query = entriesQuery(filter, { limit });
        const cmds = commands(query.expression);
        expect(cmds[0]).toBe('fields @timestamp, @message, @logStream, @log');
        expect(cmds.slice(-2)).toEqual(['sort @timestamp desc', `limit ${Math.max(1, Math.min(limit, 10_000))}`]);
        for (const c of cmds.slice(1, -2)) {
          expect(c.startsWith('filter ')).toBe(true);
          // Outside literals only names, keywords, operators and numbers.
          expect(c).toMatch(/^filter [A-Za-z0-9@._<>()=\[\], -]*$/);
        }
        // Every regex literal is printable ASCII without quotes, backtick or `#`.
        for (const t of tokenize(query.expression)) {
          if (t.kind === 'regex') {
            expect(t.text).toMatch(/^[\x21-\x7e]*$/);
            expect(t.text).not.toMatch(/["'`#]/);
          }
        }
      }),
      { numRuns: 300 }
    );
  });

  it('stats queries too', () => {
    fc.assert(
      fc.property(rowFilter, fc.array(fieldNames, { maxLength: 3 }), (filter, groupBy) => {
        const query = statsQuery(filter, { output: 'timeseries', groupBy, metric: 'count', intervalMs: 60_000 });
        const cmds = commands(query.expression);
        expect(cmds[cmds.length - 1].startsWith('stats count(*) as count by bin(1m)')).toBe(true);
        cmds.slice(0, -1).forEach((c) => expect(c.startsWith('filter ')).toBe(true));
      }),
      { numRuns: 200 }
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// Pushed-down regular expressions are never stricter than the plugin (checked with JavaScript's u-mode
// engine standing in for CWLI's code-point engine).

/** The regex literals of a single-clause query, as JavaScript regular expressions. */
function clauseRegexes(filter: Partial<RowFilter>): RegExp[] {
  const query = entriesQuery({ ...NO_FILTER, ...filter }, { limit: 10 });
  return tokenize(query.expression)
    .filter((t) => t.kind === 'regex')
    .map((t) => toJsRegex(t.text));
}

const subject = fc.string({
  unit: fc.constantFrom('a', 'A', 'b', '1', '.', '/', ' ', '\n', 'é', 'É', '😀', 'k', 'K', '\u212a', '$', '+', '#'),
});

describe('never stricter than the plugin', () => {
  it('search: every body the plugin keeps matches', () => {
    fc.assert(
      fc.property(
        subject.filter((s) => s !== ''),
        subject,
        subject,
        (term, before, after) => {
          const body = `${before}${term.toUpperCase()}${after}`;
          const plugin = new RegExp(term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i').test(body);
          const [re] = clauseRegexes({ search: term });
          return !plugin || re.test(body);
        }
      )
    );
  });

  it('=~: every value the JavaScript expression matches, the translation matches', () => {
    const pattern = fc.string({
      unit: fc.constantFrom(
        'a',
        'b',
        '.',
        '*',
        '+',
        '?',
        '^',
        '$',
        '|',
        '(',
        ')',
        '[',
        ']',
        '-',
        '\\d',
        '\\s',
        '\\S',
        '\\w',
        '{2}',
        'é',
        '😀',
        '/'
      ),
    });
    fc.assert(
      fc.property(fc.boolean(), pattern, subject, (ci, p, value) => {
        const source = (ci ? '(?i)' : '') + p;
        let js: RegExp;
        try {
          js = ci ? new RegExp(p, 'i') : new RegExp(p);
        } catch {
          return true;
        }
        const t = translateJsRegex(source);
        if (t === undefined) {
          return true;
        }
        return !js.test(value) || toJsRegex((t.caseInsensitive ? '(?i)' : '') + t.source).test(value);
      }),
      { numRuns: 1000 }
    );
  });

  it('topic filters: every topic the plugin matches, topicName matches', () => {
    const level = fc.oneof(fc.constantFrom('+', 'a', 'b', '$aws', ''), subject);
    const topicFilter = fc
      .tuple(fc.array(level, { minLength: 1, maxLength: 4 }), fc.boolean())
      .map(([levels, hash]) => [...levels, ...(hash ? ['#'] : [])].join('/'));
    const topic = fc
      .array(fc.oneof(fc.constantFrom('a', 'b', '$aws', ''), subject), { minLength: 1, maxLength: 5 })
      .map((l) => l.join('/'));
    fc.assert(
      fc.property(topicFilter, topic, (filterText, topicText) => {
        const parsed = parseTopicFilter(filterText);
        if (parsed instanceof Error) {
          return true;
        }
        const [re] = clauseRegexes({ topicFilters: [filterText] });
        return matchesTopic(parsed, topicText) === re.test(topicText);
      }),
      { numRuns: 1000 }
    );
  });

  it('statuses: every status whose lower case is a wanted one matches', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'K', 'k', 'S', 's', '1', '-'), minLength: 1 });
    fc.assert(
      fc.property(
        word,
        fc.string({ unit: fc.constantFrom('a', 'A', 'k', 'K', '\u212a', 's', 'S', '\u017f', '1', '-') }),
        (wanted, status) => {
          const plugin = status.toLowerCase() === wanted.toLowerCase();
          const [re] = clauseRegexes({ statuses: [wanted] });
          return !plugin || re.test(status);
        }
      ),
      { numRuns: 1000 }
    );
  });

  it('= on numbers: every text the plugin reads as the number matches', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 3 }),
        (n, zeros, decimals) => {
          const spelled = `${'0'.repeat(zeros)}${n}${decimals > 0 ? `.${'0'.repeat(decimals)}` : ''}`;
          const [re] = clauseRegexes({ fieldFilters: [{ field: 'latency', op: '=', values: [String(n)] }] });
          return re.test(spelled) && re.test(` ${spelled} `);
        }
      )
    );
  });
});
