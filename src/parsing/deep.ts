/**
 * Deeply nested values without recursion. JSON.parse reads any depth, but JSON.stringify,
 * structuredClone and recursive code overflow the stack (a Web Worker's stack is smaller than Node's),
 * so values nested too deep are found and serialised here with an explicit stack.
 */

/** True when `value` has objects or arrays nested more than `limit` levels deep (the value itself is level 1). */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  if (value === null || typeof value !== 'object') {
    return false;
  }
  // Parallel stacks of values and their depths: no object per step (this runs on every pretty entry).
  const values: object[] = [value];
  const depths: number[] = [1];
  while (values.length > 0) {
    const current = values.pop()!;
    const depth = depths.pop()!;
    if (depth > limit) {
      return true;
    }
    if (Array.isArray(current)) {
      for (let i = 0; i < current.length; i++) {
        const child: unknown = current[i];
        if (child !== null && typeof child === 'object') {
          values.push(child);
          depths.push(depth + 1);
        }
      }
    } else {
      for (const key in current) {
        const child: unknown = (current as Record<string, unknown>)[key];
        if (child !== null && typeof child === 'object') {
          values.push(child);
          depths.push(depth + 1);
        }
      }
    }
  }
  return false;
}

/** JSON text of a value read by JSON.parse, whatever its depth; the same text JSON.stringify gives. */
export function stringifyDeep(value: unknown): string {
  const out: string[] = [];
  // Work items: a value to write, or a literal piece of text.
  const stack: Array<{ value: unknown } | { text: string }> = [{ value }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if ('text' in item) {
      out.push(item.text);
      continue;
    }
    const v = item.value;
    if (v === null || typeof v !== 'object') {
      // Scalars (and undefined in arrays, as JSON.stringify writes it) do not recurse.
      out.push(v === undefined || typeof v === 'function' || typeof v === 'symbol' ? 'null' : JSON.stringify(v));
      continue;
    }
    if (Array.isArray(v)) {
      stack.push({ text: ']' });
      for (let i = v.length - 1; i >= 0; i--) {
        stack.push({ value: v[i] });
        if (i > 0) {
          stack.push({ text: ',' });
        }
      }
      out.push('[');
      continue;
    }
    const record = v as Record<string, unknown>;
    const keys = Object.keys(record).filter((k) => {
      const t = typeof record[k];
      return t !== 'undefined' && t !== 'function' && t !== 'symbol';
    });
    stack.push({ text: '}' });
    for (let i = keys.length - 1; i >= 0; i--) {
      stack.push({ value: record[keys[i]] });
      stack.push({ text: `${i > 0 ? ',' : ''}${JSON.stringify(keys[i])}:` });
    }
    out.push('{');
  }
  return out.join('');
}
