/**
 * Test support for the fake CloudWatch data source: Logs Insights `filter` commands evaluated on an
 * entry's discovered fields, as far as this plugin writes them (insights.ts): `and`, `or`, `not`,
 * parentheses, `field = value` (a number literal compares numbers), `!=`, `field in [...]`,
 * `field like /regex/` (`(?i)` and `\x{HEX}` as CWLI writes them), `ispresent(field)`, `@message`.
 * Strings and regular expressions are read as CWLI reads them; anything else is a syntax error, as AWS
 * would report a query it cannot read.
 */

/** The commands of a query, split on the pipes outside strings, regular expressions and backticks. */
export function splitCommands(expression: string): string[] {
  const out: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (let i = 0; i < expression.length; i++) {
    const ch = expression[i];
    if (quote) {
      current += ch;
      if (ch === '\\' && quote !== '`') {
        current += expression[++i] ?? '';
      } else if (ch === quote) {
        quote = undefined;
      }
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`' || ch === '/') {
      quote = ch;
      current += ch;
      continue;
    }
    if (ch === '|') {
      out.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  out.push(current.trim());
  return out.filter((c) => c !== '');
}

type Token =
  | { t: 'word'; v: string }
  | { t: 'field'; v: string }
  | { t: 'string'; v: string }
  | { t: 'number'; v: number }
  | { t: 'regex'; v: RegExp }
  | { t: 'op'; v: string };

/** A CWLI regular expression literal's body as a JavaScript RegExp. */
function regexOf(body: string): RegExp {
  let flags = '';
  let source = body;
  if (source.startsWith('(?i)')) {
    flags = 'i';
    source = source.slice(4);
  }
  source = source.replace(/\\x\{([0-9A-Fa-f]+)\}/g, (_, hex: string) => {
    const ch = String.fromCodePoint(parseInt(hex, 16));
    return /[\\^$.*+?()[\]{}|/-]/.test(ch) ? `\\${ch}` : ch;
  });
  return new RegExp(source, flags);
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '"' || ch === "'") {
      let v = '';
      i++;
      while (i < text.length && text[i] !== ch) {
        if (text[i] === '\\') {
          i++;
        }
        v += text[i++];
      }
      if (text[i] !== ch) {
        throw new Error('unterminated string');
      }
      i++;
      tokens.push({ t: 'string', v });
    } else if (ch === '/') {
      let v = '';
      i++;
      while (i < text.length && text[i] !== '/') {
        if (text[i] === '\\') {
          v += text[i++];
        }
        v += text[i++];
      }
      if (text[i] !== '/') {
        throw new Error('unterminated regular expression');
      }
      i++;
      tokens.push({ t: 'regex', v: regexOf(v) });
    } else if (ch === '`') {
      const end = text.indexOf('`', i + 1);
      if (end < 0) {
        throw new Error('unterminated backtick');
      }
      tokens.push({ t: 'field', v: text.slice(i + 1, end) });
      i = end + 1;
    } else if (/[()[\],]/.test(ch)) {
      tokens.push({ t: 'op', v: ch });
      i++;
    } else if (/[=!<>]/.test(ch)) {
      const two = text.slice(i, i + 2);
      const op = ['!=', '<=', '>=', '=~'].includes(two) ? two : ch;
      tokens.push({ t: 'op', v: op });
      i += op.length;
    } else {
      const m = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w.])/.exec(text.slice(i));
      if (m) {
        tokens.push({ t: 'number', v: Number(m[0]) });
        i += m[0].length;
        continue;
      }
      const w = /^@?[\w.@-]+/.exec(text.slice(i));
      if (!w) {
        throw new Error(`unexpected "${ch}"`);
      }
      const lower = w[0].toLowerCase();
      tokens.push(
        ['and', 'or', 'not', 'in', 'like', 'ispresent'].includes(lower)
          ? { t: 'word', v: lower }
          : { t: 'field', v: w[0] }
      );
      i += w[0].length;
    }
  }
  return tokens;
}

/** What the evaluator reads of an entry. */
export interface FilterSubject {
  attributes?: ReadonlyMap<string, string>;
  message: string;
}

/** Whether an entry passes a `filter` command's condition; throws on syntax it does not know. */
export function passes(condition: string, entry: FilterSubject): boolean {
  const tokens = tokenize(condition);
  let k = 0;
  const peek = () => tokens[k];
  const take = () => tokens[k++];
  const expect = (v: string) => {
    const tok = take();
    if (!tok || tok.t === 'regex' || tok.v !== v) {
      throw new Error(`expected ${v}`);
    }
  };
  const valueOf = (field: string): string | undefined =>
    field === '@message' ? entry.message : entry.attributes?.get(field);
  const literal = (): string | number => {
    const tok = take();
    if (tok?.t === 'string' || tok?.t === 'number') {
      return tok.v;
    }
    throw new Error('expected a value');
  };
  const equals = (value: string | undefined, lit: string | number) =>
    value !== undefined && (typeof lit === 'number' ? value.trim() !== '' && Number(value) === lit : value === lit);

  const or = (): boolean => {
    let v = and();
    while (peek()?.t === 'word' && peek()!.v === 'or') {
      take();
      const r = and();
      v = v || r;
    }
    return v;
  };
  const and = (): boolean => {
    let v = unary();
    while (peek()?.t === 'word' && peek()!.v === 'and') {
      take();
      const r = unary();
      v = v && r;
    }
    return v;
  };
  const unary = (): boolean => {
    const tok = peek();
    if (tok?.t === 'word' && tok.v === 'not') {
      take();
      return !unary();
    }
    if (tok?.t === 'op' && tok.v === '(') {
      take();
      const v = or();
      expect(')');
      return v;
    }
    if (tok?.t === 'word' && tok.v === 'ispresent') {
      take();
      expect('(');
      const f = take();
      if (f?.t !== 'field') {
        throw new Error('expected a field');
      }
      expect(')');
      return valueOf(f.v) !== undefined;
    }
    const f = take();
    if (f?.t !== 'field') {
      throw new Error('expected a field');
    }
    const value = valueOf(f.v);
    const op = take();
    if (op?.t === 'word' && op.v === 'not') {
      const next = take();
      if (next?.t === 'word' && next.v === 'in') {
        return !inList(value);
      }
      if (next?.t === 'word' && next.v === 'like') {
        return !like(value);
      }
      throw new Error('expected in or like');
    }
    if (op?.t === 'word' && op.v === 'in') {
      return inList(value);
    }
    if (op?.t === 'word' && op.v === 'like') {
      return like(value);
    }
    if (op?.t === 'op' && op.v === '=') {
      return equals(value, literal());
    }
    if (op?.t === 'op' && op.v === '!=') {
      return value !== undefined && !equals(value, literal());
    }
    throw new Error('expected an operator');
  };
  const inList = (value: string | undefined): boolean => {
    expect('[');
    let found = false;
    for (;;) {
      const lit = literal();
      found = found || equals(value, lit);
      const sep = take();
      if (sep?.t === 'op' && sep.v === ']') {
        return found;
      }
      if (!(sep?.t === 'op' && sep.v === ',')) {
        throw new Error('expected , or ]');
      }
    }
  };
  const like = (value: string | undefined): boolean => {
    const tok = take();
    if (tok?.t !== 'regex') {
      throw new Error('expected a regular expression');
    }
    return value !== undefined && tok.v.test(value);
  };
  const result = or();
  if (k !== tokens.length) {
    throw new Error('unexpected text after the condition');
  }
  return result;
}
