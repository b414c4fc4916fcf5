/**
 * Writes CloudWatch Logs Insights (CWLI) queries from a query's resolved filters, so that AWS scans and
 * returns only what the plugin needs. The plugin applies all of its own filters again after parsing
 * what AWS returns (src/query/filter.ts), so a filter written here must NEVER keep fewer entries than
 * the plugin's own filter would (it may keep more). A filter that cannot be written exactly or more
 * loosely is left out of the AWS query and listed in `afterParse`.
 *
 * For stats queries AWS does the counting: when `afterParse` is not empty, AWS counts entries the
 * plugin's filter would drop, so the counts are too high; a caller should then run `entriesQuery` and
 * count after parsing.
 *
 * CWLI FACTS relied on (sources: AWS's CloudWatch Logs user guide, awsdocs/amazon-cloudwatch-logs-user-guide
 * doc_source/CWL_QuerySyntax.md "Regular Expressions in the Filter Command" and "Supported Operations and
 * Functions" [QS]; CWL_AnalyzeLogData-discoverable-fields.md "Fields in JSON Logs" [DF];
 * docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax-Guidelines.html [G];
 * CWL_QuerySyntax-Filter.html [F]; CWL_QuerySyntax-Stats.md [S]):
 * - Commands are separated by `|`; several `filter` commands in a row all apply [QS, F].
 * - A field name with characters other than letters, digits, `@` and `.` is written in backticks; a
 *   dotted name inside backticks names the flattened field (`@`\`aws.tag.a:b\``) [G]. No escape for a
 *   backtick inside backticks is documented: such names are never written.
 * - JSON fields are discovered with nested keys flattened by dots, arrays as `name.0`, `name.1` [DF]; at
 *   most 100 fields of an entry are discovered [DF] (AWS IoT entries have far fewer); a key starting with
 *   `@` is renamed `@@key` [DF].
 * - `like` and `=~` match a regular expression given between slashes, a substring match anywhere; a
 *   leading `(?i)` makes it case-insensitive (`/(?i)Exception/`, `/^(?i)Exception$/`) [QS]. Strings are in
 *   double or single quotes [QS]. The regular-expression dialect is not named: the expressions written
 *   here use only syntax RE2, Java and PCRE read alike (`^ $ | (?: ) [ ] * + ? {n,m}`, and `\x{HEX}` for
 *   every character that is not an ASCII letter or digit), so no `/`, quote, backtick, pipe or line
 *   break from a value ever appears raw in the query text.
 * - `in [..]` tests set membership of complete strings; `not` negates [F]; `and`, `or`, parentheses [F].
 * - Comparison operators accept all data types [QS] (`filter accountId=123456789012` compares a numeric
 *   literal with a string field [F]).
 * - `ispresent(field)` is true when the field exists [QS].
 * - `bin(period)` takes `ms`, `s`, `m`, `h`, `d` (and longer units) [S]; `count_distinct` is an
 *   approximation when a field has very many values [QS].
 * No escape inside string literals is documented: values with a quote, a backslash, a control or a
 * non-ASCII character are compared with an escaped regular expression instead of a string literal.
 */
import { parseTimeValue, type ResolvedFieldFilter, type RowFilter } from '../query/filter';
import { toBoolean, toNumber } from '../parsing/columns';
import {
  COMPONENTS,
  EVENT_TYPES,
  JOB_EXECUTION_COUNT_STATUSES,
  componentOfEventType,
} from '../parsing/schema/registry';
import { topicFilterProblem } from '../query/mqttTopic';
import { INSIGHTS_ROW_CAP, type InsightsQuery } from './types';

// ---------------------------------------------------------------------------------------------------
// Literals

/**
 * Printable ASCII without quotes, backslash, backtick, `|` and `#` (the command separator and the
 * comment sign [QS]): a string literal that needs no escape and that no naive splitter can misread.
 */
const PLAIN_LITERAL = /^[^"'\\`|#]*$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * A CWLI string literal meaning exactly `value`: double quotes when the value has none, else single
 * quotes [QS]. Values with both quotes or a backslash get backslash escapes (`\\`, `\"`), which AWS does
 * not document: the query writer never relies on them (it uses regular expressions for such values).
 * Throws for control characters and line breaks, which have no documented spelling in a literal.
 */
export function quoteString(value: string): string {
  if (CONTROL.test(value) || hasLoneSurrogate(value)) {
    throw new Error(`a Logs Insights string literal cannot hold control characters: ${JSON.stringify(value)}`);
  }
  if (!value.includes('"') && !value.includes('\\')) {
    return `"${value}"`;
  }
  if (!value.includes("'") && !value.includes('\\')) {
    return `'${value}'`;
  }
  return `"${value.replace(/[\\"]/g, '\\$&')}"`;
}

const BARE_FIELD = /^@?[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)*$/;
const KEYWORDS = new Set([
  'and',
  'or',
  'not',
  'in',
  'like',
  'as',
  'by',
  'asc',
  'desc',
  'fields',
  'filter',
  'stats',
  'sort',
  'limit',
  'parse',
  'display',
  'dedup',
  'pattern',
  'unmask',
  'true',
  'false',
  'null',
]);

/**
 * A CWLI field reference: bare when it has only letters, digits, dots and a leading `@`, otherwise in
 * backticks [G] (a system field keeps its `@` outside: `@`\`a-b\``). Throws for names that cannot be
 * written (empty, a backtick, a control character).
 */
export function fieldName(name: string): string {
  if (BARE_FIELD.test(name) && !KEYWORDS.has(name.toLowerCase())) {
    return name;
  }
  if (name === '' || name === '@' || name.includes('`') || CONTROL.test(name) || hasLoneSurrogate(name)) {
    throw new Error(`a Logs Insights field name cannot be written for ${JSON.stringify(name)}`);
  }
  return name.startsWith('@') ? `@\`${name.slice(1)}\`` : `\`${name}\``;
}

/** Whether fieldName accepts a name. */
function canNameField(name: string): boolean {
  try {
    fieldName(name);
    return true;
  } catch {
    return false;
  }
}

/**
 * A CWLI regular-expression literal `/…/` for a regular expression `source` (RE2/Java syntax): every `/`
 * (escaped or not), line break, control or non-ASCII character is written as `\x{HEX}`, which means the
 * same character, so the literal ends at its closing slash whatever the source. `caseInsensitive` puts
 * `(?i)` in front [QS]. Throws for a source ending in a lone backslash or using `\Q…\E` quoting.
 */
export function regexLiteral(source: string, caseInsensitive = false): string {
  let out = caseInsensitive ? '(?i)' : '';
  const chars = Array.from(source);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === '\\') {
      const next = chars[i + 1];
      if (next === undefined) {
        throw new Error(`a regular expression cannot end with a lone backslash: ${JSON.stringify(source)}`);
      }
      if (next === 'Q' || next === 'E') {
        throw new Error(`\\Q…\\E quoting is not supported: ${JSON.stringify(source)}`);
      }
      i++;
      out += isSafeRegexChar(next) ? `\\${next}` : hexChar(next);
      continue;
    }
    out += isSafeRegexChar(c) ? c : hexChar(c);
  }
  return `/${out}/`;
}

/** Printable ASCII other than space, slash, quotes, backtick and `#` stays as written in a regex literal. */
function isSafeRegexChar(c: string): boolean {
  return /^[\x21-\x7e]$/.test(c) && !'/"\'`#'.includes(c);
}

function hexChar(c: string): string {
  return `\\x{${c.codePointAt(0)!.toString(16).toUpperCase()}}`;
}

function hasLoneSurrogate(text: string): boolean {
  return /[\ud800-\udbff](?![\udc00-\udfff])|(?:^|[^\ud800-\udbff])[\udc00-\udfff]/.test(text);
}

/** A character as a regular-expression atom matching exactly it: ASCII letters and digits as is. */
function literalAtom(c: string): string {
  return /^[A-Za-z0-9]$/.test(c) ? c : hexChar(c);
}

/** Text as a regular expression matching exactly it (case-sensitive). */
function escapeRegexText(text: string): string {
  return Array.from(text, literalAtom).join('');
}

// ---------------------------------------------------------------------------------------------------
// Case-insensitive matching as JavaScript does it (flag `i` without `u`): two UTF-16 units match when
// their Canonicalize (ECMA-262 §22.2.2.7.3) is equal. CWLI's `(?i)` may fold only ASCII (Java's
// default), so every other character is written as the explicit class of the characters it matches.

function canonicalize(ch: string): string {
  const upper = ch.toUpperCase();
  if (upper.length !== 1) {
    return ch;
  }
  return ch.charCodeAt(0) >= 128 && upper.charCodeAt(0) < 128 ? ch : upper;
}

let caseClasses: Map<string, string[]> | undefined;

/** The BMP characters JavaScript's case-insensitive matching takes as equal to `ch`. */
function caseVariants(ch: string): string[] {
  if (caseClasses === undefined) {
    caseClasses = new Map();
    for (let code = 0; code < 0x10000; code++) {
      if (code >= 0xd800 && code <= 0xdfff) {
        continue;
      }
      const c = String.fromCharCode(code);
      const key = canonicalize(c);
      const list = caseClasses.get(key);
      if (list) {
        list.push(c);
      } else {
        caseClasses.set(key, [c]);
      }
    }
  }
  return caseClasses.get(canonicalize(ch)) ?? [ch];
}

/** A character as an atom for a pattern written with `(?i)`, matching what JavaScript's `i` matches. */
function caseInsensitiveAtom(c: string): string {
  if (/^[A-Za-z0-9]$/.test(c)) {
    return c; // (?i) folds ASCII letters everywhere; no other character folds to one in JavaScript
  }
  if (c.length > 1 || c.charCodeAt(0) < 128) {
    return hexChar(c); // astral characters and ASCII non-letters: JavaScript compares them exactly
  }
  const variants = caseVariants(c);
  return variants.length === 1 ? hexChar(c) : `[${variants.map(hexChar).join('')}]`;
}

function escapeRegexTextCaseInsensitive(text: string): string {
  return Array.from(text, caseInsensitiveAtom).join('');
}

// ---------------------------------------------------------------------------------------------------
// JavaScript regular expressions (the plugin's `=~` syntax) as CWLI regular expressions that match at
// least what they match. Only a subset is translated; anything else returns undefined (after parse).
// - `.` and the classes that can match half of a surrogate pair in JavaScript (`.`, `[^…]`, `\D`, `\W`,
//   `\S`) may also match nothing in CWLI, which reads characters whole: a JavaScript match that spends
//   two of them on one astral character maps to a CWLI match spending one on it and none on the other.
// - `\s`, `\d`, `\w` and `.` are spelled out as JavaScript defines them (RE2's `\s` lacks `\v`, Java's
//   `.` also stops at U+0085).
// - Lookarounds, backreferences and word boundaries are not translated; groups become `(?:…)`.

const JS_SPACE =
  '\\x{9}-\\x{D}\\x{20}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}';
const DOT = '[^\\x{A}\\x{D}\\x{2028}\\x{2029}]';
const MAX_REPEAT = 1000;

class Untranslatable extends Error {}

interface Atom {
  text: string;
  /** A single astral character from a surrogate pair: a quantifier would apply to half of it in JavaScript. */
  pair?: boolean;
}

class JsRegexTranslator {
  private pos = 0;
  constructor(
    private readonly src: string,
    private readonly ci: boolean
  ) {}

  translate(): string {
    const out = this.disjunction();
    if (this.pos !== this.src.length) {
      throw new Untranslatable();
    }
    return out;
  }

  private peek(offset = 0): string | undefined {
    return this.src[this.pos + offset];
  }

  private disjunction(): string {
    const alternatives = [this.alternative()];
    while (this.peek() === '|') {
      this.pos++;
      alternatives.push(this.alternative());
    }
    return alternatives.join('|');
  }

  private alternative(): string {
    let out = '';
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === '|' || c === ')') {
        return out;
      }
      if (c === '^' || c === '$') {
        this.pos++;
        out += c; // JavaScript without `m`: start/end of the text; CWLI's `$` may also match before a final newline (looser)
        continue;
      }
      const atom = this.atom();
      const quantifier = this.quantifier();
      if (quantifier === '') {
        out += atom.text;
      } else if (atom.pair) {
        throw new Untranslatable();
      } else {
        out += `(?:${atom.text})${quantifier}`;
      }
    }
  }

  private quantifier(): string {
    const c = this.peek();
    let q = '';
    if (c === '*' || c === '+' || c === '?') {
      this.pos++;
      q = c;
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos));
      if (!m) {
        return '';
      }
      const min = Number(m[1]);
      const max = m[3] === undefined || m[3] === '' ? undefined : Number(m[3]);
      if (min > MAX_REPEAT || (max !== undefined && (max > MAX_REPEAT || max < min))) {
        throw new Untranslatable();
      }
      this.pos += m[0].length;
      q = m[2] === undefined ? `{${min}}` : `{${min},${max ?? ''}}`;
    } else {
      return '';
    }
    if (this.peek() === '?') {
      this.pos++;
      q += '?';
    }
    return q;
  }

  private atom(): Atom {
    const c = this.peek()!;
    switch (c) {
      case '.':
        this.pos++;
        return { text: wildcard(DOT) };
      case '[':
        return { text: this.characterClass() };
      case '(':
        return { text: this.group() };
      case '\\':
        return this.escape();
      case '*':
      case '+':
      case '?':
        throw new Untranslatable();
      case '{':
        if (/^\{\d+(,\d*)?\}/.test(this.src.slice(this.pos))) {
          throw new Untranslatable();
        }
        this.pos++;
        return { text: this.char('{') };
      default:
        return this.literal();
    }
  }

  private literal(): Atom {
    const c = this.src[this.pos];
    const code = c.charCodeAt(0);
    if (code >= 0xd800 && code <= 0xdbff) {
      const low = this.src.charCodeAt(this.pos + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        this.pos += 2;
        return { text: hexChar(this.src.slice(this.pos - 2, this.pos)), pair: true };
      }
    }
    if (code >= 0xd800 && code <= 0xdfff) {
      throw new Untranslatable();
    }
    this.pos++;
    return { text: this.char(c) };
  }

  private char(c: string): string {
    return this.ci ? caseInsensitiveAtom(c) : literalAtom(c);
  }

  private group(): string {
    this.pos++; // (
    if (this.peek() === '?') {
      if (this.peek(1) === ':') {
        this.pos += 2;
      } else if (this.peek(1) === '<' && /^[A-Za-z_$]/.test(this.peek(2) ?? '')) {
        const end = this.src.indexOf('>', this.pos);
        if (end < 0) {
          throw new Untranslatable();
        }
        this.pos = end + 1; // a named group matches as a plain one
      } else {
        throw new Untranslatable(); // lookarounds
      }
    }
    const inner = this.disjunction();
    if (this.peek() !== ')') {
      throw new Untranslatable();
    }
    this.pos++;
    return `(?:${inner})`;
  }

  private escape(): Atom {
    const c = this.peek(1);
    if (c === undefined) {
      throw new Untranslatable();
    }
    switch (c) {
      case 'd':
        this.pos += 2;
        return { text: '[0-9]' };
      case 'D':
        this.pos += 2;
        return { text: wildcard('[^0-9]') };
      case 'w':
        this.pos += 2;
        return { text: '[0-9A-Za-z_]' };
      case 'W':
        if (this.ci) {
          throw new Untranslatable(); // RE2's (?i)\W may leave out characters that fold to word characters
        }
        this.pos += 2;
        return { text: wildcard('[^0-9A-Za-z_]') };
      case 's':
        this.pos += 2;
        return { text: `[${JS_SPACE}]` };
      case 'S':
        this.pos += 2;
        return { text: wildcard(`[^${JS_SPACE}]`) };
      case 'b':
      case 'B':
      case 'k':
        throw new Untranslatable();
      default: {
        const unit = this.escapedUnit();
        return this.unitAtom(unit);
      }
    }
  }

  /** A character escape (outside or inside a class): the UTF-16 unit it stands for. Consumes it. */
  private escapedUnit(): number {
    const rest = this.src.slice(this.pos + 1);
    const c = rest[0];
    let m: RegExpExecArray | null;
    if (/^[1-9]/.test(rest)) {
      throw new Untranslatable(); // backreferences (and Annex B octal escapes)
    }
    if (c === '0') {
      if (/^0[0-9]/.test(rest)) {
        throw new Untranslatable();
      }
      this.pos += 2;
      return 0;
    }
    const simple: Record<string, number> = { n: 10, r: 13, t: 9, f: 12, v: 11 };
    if (c in simple) {
      this.pos += 2;
      return simple[c];
    }
    if ((m = /^c([A-Za-z])/.exec(rest))) {
      this.pos += 3;
      return m[1].charCodeAt(0) % 32;
    }
    if ((m = /^x([0-9A-Fa-f]{2})/.exec(rest))) {
      this.pos += 4;
      return parseInt(m[1], 16);
    }
    if ((m = /^u([0-9A-Fa-f]{4})/.exec(rest))) {
      this.pos += 6;
      return parseInt(m[1], 16);
    }
    if (c === 'c' || c === 'x' || c === 'u' || c === 'p' || c === 'P') {
      // Annex B: `\c`, `\x`, `\u` without their digits, `\p` without the u flag: the letter itself
      // (and the backslash for `\c`); too rare to be worth getting exactly right.
      throw new Untranslatable();
    }
    this.pos += 2;
    return c.charCodeAt(0); // identity escapes: `\.`, `\/`, `\-`, …
  }

  private unitAtom(unit: number): Atom {
    if (unit >= 0xd800 && unit <= 0xdbff && this.src.startsWith('\\u', this.pos)) {
      const m = /^\\u([0-9A-Fa-f]{4})/.exec(this.src.slice(this.pos));
      const low = m ? parseInt(m[1], 16) : 0;
      if (low >= 0xdc00 && low <= 0xdfff) {
        this.pos += 6;
        return { text: hexChar(String.fromCharCode(unit, low)), pair: true };
      }
    }
    if (unit >= 0xd800 && unit <= 0xdfff) {
      throw new Untranslatable();
    }
    return { text: this.char(String.fromCharCode(unit)) };
  }

  private characterClass(): string {
    this.pos++; // [
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.pos++;
    }
    const parts: string[] = [];
    let hasLetter = false;
    let empty = true;
    for (;;) {
      const c = this.peek();
      if (c === undefined) {
        throw new Untranslatable();
      }
      if (c === ']') {
        this.pos++;
        break;
      }
      empty = false;
      const first = this.classMember();
      if (typeof first === 'string') {
        parts.push(first);
        hasLetter = true;
        continue;
      }
      if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== undefined) {
        this.pos++;
        const last = this.classMember();
        if (typeof last === 'string' || last < first) {
          throw new Untranslatable();
        }
        parts.push(this.range(first, last));
        hasLetter ||= rangeHasLetter(first, last);
      } else {
        parts.push(this.range(first, first));
        hasLetter ||= rangeHasLetter(first, first);
      }
    }
    if (empty) {
      throw new Untranslatable(); // `[]` and `[^]`
    }
    if (this.ci && negated && hasLetter) {
      throw new Untranslatable(); // RE2's folding would leave out characters JavaScript's `[^…]` matches
    }
    const body = parts.join('');
    return negated ? wildcard(`[^${body}]`) : `[${body}]`;
  }

  /** One class member: a UTF-16 unit (BMP, no surrogate), or a class escape already written out. */
  private classMember(): number | string {
    const c = this.peek()!;
    if (c === '\\') {
      const e = this.peek(1);
      if (e === 'd') {
        this.pos += 2;
        return '0-9';
      }
      if (e === 'w') {
        this.pos += 2;
        return '0-9A-Za-z_';
      }
      if (e === 's') {
        this.pos += 2;
        return JS_SPACE;
      }
      if (e === 'D' || e === 'W' || e === 'S' || e === 'b' || e === 'B' || e === undefined) {
        throw new Untranslatable();
      }
      const unit = this.escapedUnit();
      if (unit >= 0xd800 && unit <= 0xdfff) {
        throw new Untranslatable();
      }
      return unit;
    }
    const code = c.charCodeAt(0);
    if (code >= 0xd800 && code <= 0xdfff) {
      throw new Untranslatable(); // astral characters in a class are two units in JavaScript
    }
    this.pos++;
    return code;
  }

  private range(first: number, last: number): string {
    if (this.ci && last >= 128) {
      throw new Untranslatable(); // non-ASCII letters in a case-insensitive class: left to the plugin
    }
    const a = hexChar(String.fromCharCode(first));
    return first === last ? a : `${a}-${hexChar(String.fromCharCode(last))}`;
  }
}

function rangeHasLetter(first: number, last: number): boolean {
  return !(last < 65 || first > 122 || (first > 90 && last < 97));
}

/** An atom that JavaScript may spend on half of a surrogate pair: it may match nothing in CWLI. */
function wildcard(cls: string): string {
  return `(?:${cls})?`;
}

/**
 * A JavaScript regular expression as the plugin reads it (a leading `(?i)`: case-insensitive) as a CWLI
 * regular-expression source matching at least the same texts, or undefined when that cannot be written.
 */
export function translateJsRegex(value: string): { source: string; caseInsensitive: boolean } | undefined {
  const caseInsensitive = value.startsWith('(?i)');
  const source = caseInsensitive ? value.slice(4) : value;
  try {
    new RegExp(source, caseInsensitive ? 'i' : '');
  } catch {
    return undefined; // the plugin reports the error
  }
  try {
    return { source: new JsRegexTranslator(source, caseInsensitive).translate(), caseInsensitive };
  } catch (e) {
    if (e instanceof Untranslatable) {
      return undefined;
    }
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------------
// What the plugin's field names mean in CWLI

/** Field names the parser computes (derive.ts): an entry may lack them where the plugin has a value. */
const DERIVED: ReadonlySet<string> = new Set([
  'thingName',
  'shadowName',
  'jobId',
  ...JOB_EXECUTION_COUNT_STATUSES,
  ...EVENT_TYPES.flatMap((s) => s.fields.filter((f) => f.derived).map((f) => f.name)),
]);

/** Job execution counts by status the parser derives (derive.ts: `SUCCEEDED`, `TIMED_OUT`, …). */
const DERIVED_COUNT = /^[A-Z][A-Z_]*$/;

/** The documented kinds of each attribute name (over every event type). */
const DOCUMENTED_KINDS: ReadonlyMap<string, ReadonlySet<string>> = (() => {
  const kinds = new Map<string, Set<string>>();
  for (const schema of EVENT_TYPES) {
    for (const f of schema.fields) {
      let set = kinds.get(f.name);
      if (!set) {
        set = new Set();
        kinds.set(f.name, set);
      }
      set.add(f.derived ? 'derived' : f.kind);
    }
  }
  return kinds;
})();

/** Attribute names the plugin renames (tableBuilder.ts: the logs contract's names, clashes). */
const RESERVED_NAMES = new Set(['body', 'severity', 'id', 'labels']);

/**
 * Whether a plugin field name is an entry's attribute under the same name in CWLI: letters, digits,
 * `_` and `-` in dotted segments, not one the plugin renames (`body_extracted`, `name_2`) nor a name
 * starting with `@` (CWLI writes those `@@name` [DF]).
 */
function isPlainAttribute(name: string): boolean {
  return (
    /^[A-Za-z][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*$/.test(name) &&
    !RESERVED_NAMES.has(name) &&
    !name.endsWith('_extracted') &&
    !/_\d+$/.test(name) &&
    canNameField(name)
  );
}

/**
 * Whether the plugin's values of an attribute are the entry's own JSON strings: documented as a string
 * by every event type that documents it and computed by none, or a key of the documented `resources` map.
 */
function isDocumentedString(name: string): boolean {
  if (DERIVED.has(name)) {
    return false;
  }
  if (/^resources\.[A-Za-z0-9_-]+$/.test(name)) {
    return true;
  }
  const kinds = DOCUMENTED_KINDS.get(name);
  return kinds !== undefined && kinds.size === 1 && kinds.has('string');
}

/** Documented with a scalar kind (string, number, boolean) and computed by no event type. */
function isDocumentedScalar(name: string): boolean {
  if (isDocumentedString(name)) {
    return true;
  }
  const kinds = DOCUMENTED_KINDS.get(name);
  return (
    kinds !== undefined &&
    !DERIVED.has(name) &&
    [...kinds].every((k) => k === 'string' || k === 'number' || k === 'boolean')
  );
}

// ---------------------------------------------------------------------------------------------------
// Clauses

interface Clause {
  /** The CWLI condition. */
  condition: string;
  /** In words, for `pushedDown`. */
  words: string;
}

type Outcome = Clause | { afterParse: string };

const REGISTERED_TYPES: readonly string[] = EVENT_TYPES.map((s) => s.eventType);
const COMPONENT_IDS: readonly string[] = COMPONENTS.map((c) => c.id);

/** `field` equals one of `values` exactly (text): `in [...]`, or an anchored regular expression. */
function textEquals(field: string, values: readonly string[]): string {
  const unique = [...new Set(values)];
  if (unique.every((v) => PLAIN_LITERAL.test(v) && PRINTABLE_ASCII.test(v))) {
    return `${fieldName(field)} in [${unique.map(quoteString).join(', ')}]`;
  }
  return `${fieldName(field)} like ${regexLiteral(`^(?:${unique.map(escapeRegexText).join('|')})$`)}`;
}

/** The eventType is one of a set of components' (ids, `unknown` for unregistered types). */
function componentCondition(ids: ReadonlySet<string>): string | undefined {
  const types = REGISTERED_TYPES.filter((t) => ids.has(componentOfEventType(t)));
  if (ids.has('unknown')) {
    const others = REGISTERED_TYPES.filter((t) => !ids.has(componentOfEventType(t)));
    return others.length === 0 ? '' : `not (${textEquals('eventType', others)})`;
  }
  return types.length === 0 ? undefined : textEquals('eventType', types);
}

function list(values: readonly string[]): string {
  return `(${values.join(', ')})`;
}

function describe(f: ResolvedFieldFilter, values: readonly string[]): string {
  if (f.op === 'exists' || f.op === 'missing') {
    return `${f.field} ${f.op}`;
  }
  return `${f.field} ${f.op} ${values.length === 1 ? values[0] : list(values)}`;
}

function after(words: string, reason: string): Outcome {
  return { afterParse: `${words} (compared after parsing: ${reason})` };
}

function isComparison(op: string): boolean {
  return op === '>' || op === '<' || op === '>=' || op === '<=';
}

/** The values a field filter uses, as filter.ts's usedValues; empty: the filter is ignored. */
function usedValues(f: ResolvedFieldFilter): string[] {
  if (f.op === 'exists' || f.op === 'missing') {
    return [];
  }
  return [...new Set(f.values.filter((v) => (isComparison(f.op) ? v.trim() !== '' : v !== '')))].sort();
}

/** A non-negative number as a CWLI numeric literal, when its text is exact (no exponent, safe precision). */
function numberLiteral(n: number): string | undefined {
  if (!Number.isFinite(n) || n < 0 || Object.is(n, -0)) {
    return n === 0 ? '0' : undefined;
  }
  const text = String(n);
  if (Number.isInteger(n)) {
    return Number.isSafeInteger(n) ? text : undefined;
  }
  return /^\d+\.\d+$/.test(text) && text.replace(/^0+|\./g, '').length <= 15 ? text : undefined;
}

/**
 * A regular expression matching every text toNumber (parsing/columns.ts) reads as `n` (n ≥ 0, `text`
 * its decimal literal), and more: any text with an exponent.
 */
function numericTextRegex(n: number, text: string): string {
  const space = `[${JS_SPACE}]*`;
  const [int, frac] = text.split('.');
  let core: string;
  if (frac === undefined) {
    core = n === 0 ? `-?(?:0+(?:\\x{2E}0*)?|\\x{2E}0+)` : `0*${int}(?:\\x{2E}0*)?`;
  } else {
    core = `${int === '0' ? '0*' : `0*${int}`}\\x{2E}${frac}0*`;
  }
  return `^${space}${core}${space}$|[eE]`;
}

/** `=`: the field's text equals a value, or its number does (see the SEMANTICS of filter.ts). */
function equalsClause(f: ResolvedFieldFilter, values: readonly string[], words: string): Outcome {
  const parts: string[] = [];
  const texts: string[] = [];
  for (const v of values) {
    if (v.startsWith('[') || v.startsWith('{')) {
      return after(words, 'arrays and objects are split into fields by AWS');
    }
    if (toBoolean(v) !== null) {
      return after(words, 'AWS types true and false');
    }
    const n = toNumber(v);
    if (n === null) {
      if (hasLoneSurrogate(v)) {
        return after(words, 'the value is not valid Unicode');
      }
      texts.push(v);
      continue;
    }
    const literal = numberLiteral(n);
    if (literal === undefined) {
      return after(words, 'AWS may read this number differently');
    }
    // A number field compares as a number [QS]; a text field that holds the number in any spelling
    // matches the regular expression.
    parts.push(`${fieldName(f.field)} = ${literal}`);
    parts.push(`${fieldName(f.field)} like ${regexLiteral(numericTextRegex(n, literal))}`);
  }
  if (texts.length > 0) {
    parts.unshift(textEquals(f.field, texts));
  }
  return { condition: parts.length === 1 ? parts[0] : `(${parts.join(' or ')})`, words };
}

function regexClause(field: string, values: readonly string[], words: string): Outcome {
  const sources: string[] = [];
  for (const v of values) {
    const t = translateJsRegex(v);
    if (t === undefined) {
      return after(words, 'the regular expression cannot be written for AWS as it is');
    }
    sources.push(t.caseInsensitive ? `(?i)${t.source}` : t.source);
  }
  // `(?i)` applies from where it stands to the end of its group in RE2, Java and PCRE.
  const alternatives = sources.length === 1 ? sources[0] : sources.map((s) => `(?:${s})`).join('|');
  return { condition: `${fieldName(field)} like ${regexLiteral(alternatives)}`, words };
}

function componentFieldClause(f: ResolvedFieldFilter, values: readonly string[], words: string): Outcome {
  let test: (id: string) => boolean;
  switch (f.op) {
    case '=':
    case '!=': {
      const equal = (id: string) => values.includes(id);
      test = f.op === '=' ? equal : (id) => !equal(id);
      break;
    }
    case '=~':
    case '!~': {
      let regexes: RegExp[];
      try {
        regexes = values.map((v) => (v.startsWith('(?i)') ? new RegExp(v.slice(4), 'i') : new RegExp(v)));
      } catch {
        return after(words, 'invalid regular expression');
      }
      const match = (id: string) => regexes.some((re) => re.test(id));
      test = f.op === '=~' ? match : (id) => !match(id);
      break;
    }
    case 'exists':
      return { condition: '', words };
    default:
      return after(words, 'the component is not in the entry');
  }
  const ids = new Set(COMPONENT_IDS.filter(test));
  const condition = componentCondition(ids);
  if (condition === undefined) {
    return after(words, 'no registered event type has that component');
  }
  return { condition, words };
}

function fieldClause(f: ResolvedFieldFilter): Outcome | undefined {
  const values = usedValues(f);
  if (values.length === 0 && f.op !== 'exists' && f.op !== 'missing') {
    return undefined; // ignored by the plugin too
  }
  const words = describe(f, values);
  const field = f.field;
  if (field === 'component') {
    return componentFieldClause(f, values, words);
  }
  if (field === 'timestamp') {
    return after(words, "AWS's @timestamp is not always the entry's timestamp");
  }
  if (field === 'eventType' || field === 'body') {
    const cwField = field === 'body' ? '@message' : 'eventType';
    switch (f.op) {
      case '=':
        return { condition: textEquals(cwField, values), words };
      case '!=':
        // Always present in an entry the plugin keeps, so the negation is exact.
        return field === 'eventType'
          ? { condition: `not (${textEquals(cwField, values)})`, words }
          : after(words, 'only equality and matching are written for the entry text');
      case '=~':
        return regexClause(cwField, values, words);
      case 'exists':
        return { condition: '', words };
      default:
        return after(words, 'not written for AWS');
    }
  }
  if (!isPlainAttribute(field)) {
    return after(words, 'AWS may name this field differently');
  }
  switch (f.op) {
    case '=':
      if (DERIVED.has(field) || DERIVED_COUNT.test(field)) {
        return after(words, 'the plugin derives this field from other attributes');
      }
      // The plugin compares times as times (`2024-05-06 00:01:00.000` equals the epoch ms AWS holds, and
      // an ISO spelling): text equality in AWS would be stricter.
      if (
        DOCUMENTED_KINDS.get(field)?.has('time') ||
        values.some((v) => toNumber(v) === null && parseTimeValue(v) !== undefined)
      ) {
        return after(words, 'times are compared as times after parsing');
      }
      return equalsClause(f, values, words);
    case '=~':
      if (!isDocumentedString(field)) {
        return after(words, 'only documented text attributes are matched in AWS');
      }
      return regexClause(field, values, words);
    case 'exists':
      if (!isDocumentedScalar(field)) {
        return after(words, 'AWS splits arrays into fields, and the plugin derives some fields');
      }
      return { condition: `ispresent(${fieldName(field)})`, words };
    case '!=':
    case '!~':
    case 'missing':
      return after(words, 'how AWS treats null values is not documented');
    default:
      return after(words, 'AWS compares numbers written as text differently');
  }
}

function statusClause(field: 'status' | 'logLevel', values: readonly string[]): Outcome {
  const unique = [...new Set(values)].sort();
  const words = `${field} in ${list(unique)}`;
  if (!unique.every((v) => /^[A-Za-z0-9_.-]+$/.test(v))) {
    return after(words, 'only letters, digits, _, . and - are compared in AWS');
  }
  // The plugin compares lower-cased texts; U+212A KELVIN SIGN is the one non-ASCII character that
  // JavaScript lower-cases to an ASCII one (to k), so it is spelled out beside k.
  const alternatives = unique.map((v) =>
    Array.from(v, (c) => (c === 'k' || c === 'K' ? '[k\\x{212A}]' : literalAtom(c))).join('')
  );
  return {
    condition: `${fieldName(field)} like ${regexLiteral(`^(?:${alternatives.join('|')})$`, true)}`,
    words,
  };
}

/** An MQTT topic filter as a regular expression over a topic name (mqttTopic.ts's rules). */
function topicRegex(filter: string): string {
  const levels = filter.split('/');
  const wildcardFirst = levels[0] === '+' || levels[0] === '#';
  let out = '^';
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i];
    const sep = i === 0 ? '' : '\\x{2F}';
    if (level === '#') {
      // `#` matches the parent level and everything below it: `a/#` matches `a`.
      out += i === 0 ? '(?:[^\\x{24}][\\s\\S]*)?' : `(?:${sep}[\\s\\S]*)?`;
      return `${out}$`;
    }
    out += sep;
    if (level === '+') {
      out += i === 0 && wildcardFirst ? '(?:[^\\x{24}\\x{2F}][^\\x{2F}]*)?' : '[^\\x{2F}]*';
    } else {
      out += escapeRegexText(level);
    }
  }
  return `${out}$`;
}

function topicClause(filters: readonly string[]): Outcome | undefined {
  const unique = [...new Set(filters.filter((t) => t !== ''))];
  if (unique.length === 0) {
    return undefined;
  }
  const words = `topic matches ${list(unique)}`;
  if (unique.some((t) => topicFilterProblem(t) !== undefined || hasLoneSurrogate(t))) {
    return after(words, 'not a valid MQTT topic filter');
  }
  const regex = unique.map((t) => `(?:${topicRegex(t)})`).join('|');
  // The plugin matches every topic field; AWS's query names only topicName. Entries that may have
  // another topic field pass, judged by their text: a key ending in `topic"`/`Topic"` (RepublishTopic),
  // a second `topicName"` key (nested), or a `topicName"` key but no top-level topicName field.
  const condition =
    `(topicName like ${regexLiteral(regex)}` +
    ` or @message like ${regexLiteral('[Tt]opic\\x{22}')}` +
    ` or @message like ${regexLiteral('topicName\\x{22}[\\s\\S]*topicName\\x{22}')}` +
    ` or (not ispresent(topicName) and @message like ${regexLiteral('topicName\\x{22}')}))`;
  return { condition, words };
}

function searchClause(filter: RowFilter): Outcome | undefined {
  const terms = [...new Set((typeof filter.search === 'string' ? [filter.search] : filter.search).filter((t) => t))];
  if (terms.length === 0) {
    return undefined;
  }
  terms.sort();
  const words = `text contains ${terms.length === 1 ? terms[0] : list(terms)}`;
  if (terms.some(hasLoneSurrogate)) {
    return after(words, 'the text is not valid Unicode');
  }
  const alternatives = terms.map(escapeRegexTextCaseInsensitive).join('|');
  return { condition: `@message like ${regexLiteral(`(?:${alternatives})`, true)}`, words };
}

/** Every filter clause of a query's filter (timeRange excluded: the CloudWatch source takes the range). */
function filterClauses(filter: RowFilter): { conditions: string[]; pushedDown: string[]; afterParse: string[] } {
  const outcomes: Array<Outcome | undefined> = [];
  if (filter.eventTypes.length > 0) {
    const types = [...new Set(filter.eventTypes)].sort();
    outcomes.push({ condition: textEquals('eventType', types), words: `eventType in ${list(types)}` });
  }
  if (filter.components.length > 0) {
    const ids = [...new Set(filter.components)].sort();
    const condition = componentCondition(new Set(ids));
    const words = `component in ${list(ids)}`;
    outcomes.push(
      condition === undefined ? after(words, 'no registered event type has that component') : { condition, words }
    );
  }
  if (filter.statuses.length > 0) {
    outcomes.push(statusClause('status', filter.statuses));
  }
  if (filter.logLevels.length > 0) {
    outcomes.push(statusClause('logLevel', filter.logLevels));
  }
  for (const f of filter.fieldFilters) {
    outcomes.push(fieldClause(f));
  }
  outcomes.push(topicClause(filter.topicFilters));
  outcomes.push(searchClause(filter));
  const conditions: string[] = [];
  const pushedDown: string[] = [];
  const afterParse: string[] = [];
  for (const o of outcomes) {
    if (o === undefined) {
      continue;
    }
    if ('afterParse' in o) {
      afterParse.push(o.afterParse);
    } else {
      if (o.condition !== '') {
        conditions.push(o.condition);
      }
      pushedDown.push(o.words);
    }
  }
  return { conditions, pushedDown, afterParse };
}

// ---------------------------------------------------------------------------------------------------
// Queries

/**
 * The entries of a query, newest first: `fields @timestamp, @message, @logStream, @log | filter … |
 * sort @timestamp desc | limit n` with n = min(limit, INSIGHTS_ROW_CAP).
 */
export function entriesQuery(filter: RowFilter, options: { limit: number }): InsightsQuery {
  const { conditions, pushedDown, afterParse } = filterClauses(filter);
  const limit = Number.isFinite(options.limit)
    ? Math.max(1, Math.min(Math.floor(options.limit), INSIGHTS_ROW_CAP))
    : INSIGHTS_ROW_CAP;
  const commands = [
    'fields @timestamp, @message, @logStream, @log',
    ...conditions.map((c) => `filter ${c}`),
    'sort @timestamp desc',
    `limit ${limit}`,
  ];
  return { kind: 'entries', expression: commands.join(' | '), statsGroups: [], pushedDown, afterParse };
}

const UNITS: ReadonlyArray<[string, number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
  ['ms', 1],
];

/** An interval as a `bin()` period of the same length, in the largest unit that divides it [S]. */
export function binPeriod(intervalMs: number): string {
  if (!Number.isSafeInteger(intervalMs) || intervalMs <= 0) {
    throw new Error(`a Logs Insights bin needs a whole positive number of milliseconds, not ${intervalMs}`);
  }
  const [unit, ms] = UNITS.find(([, size]) => intervalMs % size === 0)!;
  return `${intervalMs / ms}${unit}`;
}

/**
 * Counts in AWS: `filter … | stats count(*) as count by bin(5m), status`. `statsGroups` are the group
 * expressions after ` by ` as the response names them (bin first for a time series). `component` is
 * counted by `eventType` (AWS's entries have no component: add the groups up with componentOfEventType),
 * `body` by `@message`. Group-by fields AWS cannot count as the plugin does (`timestamp`, fields the
 * plugin derives or renames) are listed in `afterParse`, like filters. No limit: the plugin keeps the top
 * groups itself. `count_distinct` is an approximation in AWS for fields with very many values [QS].
 */
export function statsQuery(
  filter: RowFilter,
  options: {
    output: 'timeseries' | 'counts';
    groupBy: readonly string[];
    metric: 'count' | 'distinct';
    metricField?: string;
    intervalMs?: number;
    /** A condition written by groupsCondition, added as a filter (the top groups, or all but them). */
    extraCondition?: string;
    /** Sort the groups by count, largest first (`sort count desc`), so that the row cap keeps the largest. */
    largestFirst?: boolean;
  }
): InsightsQuery {
  const { conditions: own, pushedDown, afterParse } = filterClauses(filter);
  const conditions = options.extraCondition ? [...own, options.extraCondition] : own;
  const groups: string[] = [];
  const statsGroups: string[] = [];
  if (options.output === 'timeseries') {
    if (options.intervalMs === undefined) {
      throw new Error('a time series needs an interval');
    }
    const bin = `bin(${binPeriod(options.intervalMs)})`;
    groups.push(bin);
    statsGroups.push(bin);
  }
  const reference = (name: string, what: string): string | undefined => {
    const mapped = name === 'component' ? 'eventType' : name === 'body' ? '@message' : name;
    if (mapped === 'eventType' || mapped === '@message') {
      return mapped;
    }
    if (name === 'timestamp' || !isPlainAttribute(name) || DERIVED.has(name)) {
      afterParse.push(`${what} ${name} (counted after parsing: AWS does not have this field as the plugin does)`);
      return undefined;
    }
    return name;
  };
  for (const name of new Set(options.groupBy)) {
    const mapped = reference(name, 'group by');
    if (mapped !== undefined && !statsGroups.includes(mapped)) {
      groups.push(fieldName(mapped));
      statsGroups.push(mapped);
    }
  }
  let metric = 'count(*)';
  if (options.metric === 'distinct') {
    const field = options.metricField ?? '';
    const mapped = field === '' ? undefined : reference(field, 'distinct');
    if (field === '') {
      afterParse.push('distinct (no field given: counted after parsing)');
    }
    if (mapped !== undefined && mapped !== field) {
      // `component` is written as eventType: distinct eventTypes are not distinct components
      afterParse.push(`distinct ${field} (counted after parsing: AWS has no such field)`);
    }
    metric = mapped === undefined ? 'count(*)' : `count_distinct(${fieldName(mapped)})`;
  }
  const stats = `stats ${metric} as count${groups.length > 0 ? ` by ${groups.join(', ')}` : ''}`;
  const sort = options.largestFirst ? [`sort count desc`, `limit ${INSIGHTS_ROW_CAP}`] : [];
  return {
    kind: 'stats',
    expression: [...conditions.map((c) => `filter ${c}`), stats, ...sort].join(' | '),
    statsGroups,
    pushedDown,
    afterParse,
  };
}

/**
 * A condition that holds for the entries of the given groups of a split (`fields` as statsQuery names
 * them, each group's values as Logs Insights answered them: text, null for a field the entries lack),
 * or, `negate`d, for every other entry; undefined when a value cannot be written exactly (the caller
 * then counts every group in one query).
 */
export function groupsCondition(
  fields: readonly string[],
  groups: ReadonlyArray<readonly unknown[]>,
  negate = false
): string | undefined {
  if (groups.length === 0 || fields.length === 0) {
    return undefined;
  }
  const alternatives: string[] = [];
  for (const values of groups) {
    const parts: string[] = [];
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i];
      const value = values[i];
      if (field !== 'eventType' && !isPlainAttribute(field)) {
        return undefined;
      }
      if (value === null || value === undefined || value === '') {
        parts.push(`not ispresent(${fieldName(field)})`);
        continue;
      }
      const outcome = equalsClause({ field, op: '=', values: [String(value)] }, [String(value)], field);
      if (!('condition' in outcome) || !outcome.condition) {
        return undefined;
      }
      parts.push(outcome.condition);
    }
    alternatives.push(parts.length === 1 ? parts[0] : `(${parts.join(' and ')})`);
  }
  const any = alternatives.length === 1 ? alternatives[0] : `(${alternatives.join(' or ')})`;
  return negate ? `not ${any.startsWith('(') ? any : `(${any})`}` : any;
}
