/**
 * Rows → group numbers, for the outputs that split or count by fields (timeseries, counts) and for
 * distinct counts. One pass per field over the selected rows: each distinct value is looked up in a Map
 * once per run of equal values (the parser shares one string per repeated value, so a run is an identity
 * test), and every row gets a small integer in an Int32Array. No object is made per row.
 */
import { toText } from '../parsing/columns';
import type { ValueKind } from '../parsing/schema/types';
import { fieldValues } from '../parsing/table';
import { selectionLength, type Selection } from './types';
import { commonKind, NONE_LABEL } from './values';

/** The values of one field coded as integers. */
export interface FieldCodes {
  name: string;
  /** See commonKind: string fields hold strings (composites as JSON, mixed kinds as text). */
  kind: ValueKind;
  /** The code of each selected row, one array per selection (same order); -1: missing (skip mode). */
  codes: Int32Array[];
  /** The value of each code (first-seen order). */
  values: unknown[];
}

/**
 * How `codeField` treats entries that lack the field:
 * - `group`: they get a code of their own, value NONE_LABEL in string fields (merged with a literal
 *   `(none)`) and null in the others;
 * - `skip`: they get -1 (distinct counts do not count a missing value).
 */
export type MissingValues = 'group' | 'skip';

const UNSET = -2;

/** Codes the values of a field (a column or a table field such as eventType) across the selections. */
export function codeField(selections: readonly Selection[], name: string, missing: MissingValues): FieldCodes {
  const kind = commonKind(selections, name);
  const asText = kind === 'string';
  const map = new Map<unknown, number>();
  const values: unknown[] = [];
  const codeOf = (key: unknown): number => {
    let code = map.get(key);
    if (code === undefined) {
      code = values.length;
      map.set(key, code);
      values.push(key);
    }
    return code;
  };
  let missingCode = UNSET;
  const missingKey = asText ? NONE_LABEL : null;
  const codeOfMissing = (): number => {
    if (missingCode === UNSET) {
      missingCode = missing === 'skip' ? -1 : codeOf(missingKey);
    }
    return missingCode;
  };

  const codes = selections.map((s) => {
    const n = selectionLength(s);
    const out = new Int32Array(n);
    const source = fieldValues(s.table, name);
    if (source === undefined) {
      out.fill(codeOfMissing());
      return out;
    }
    if ('constant' in source) {
      out.fill(codeOf(source.constant));
      return out;
    }
    const column = source.values;
    const rows = s.rows;
    let last: unknown = undefined;
    let lastCode = UNSET;
    for (let i = 0; i < n; i++) {
      const v = column[rows ? rows[i] : i];
      if (v === last && lastCode !== UNSET) {
        out[i] = lastCode;
        continue;
      }
      let code: number;
      if (v === null || v === undefined) {
        code = codeOfMissing();
      } else if (asText && typeof v !== 'string') {
        code = codeOf(toText(v));
      } else {
        code = codeOf(v);
      }
      out[i] = code;
      last = v;
      lastCode = code;
    }
    return out;
  });
  return { name, kind, codes, values };
}

/** Rows grouped by the combination of several fields' values. */
export interface Grouping {
  /** The group-by fields: name, kind and the value of each of their codes. */
  fields: FieldCodes[];
  /** The group of each selected row, one array per selection. */
  codes: Int32Array[];
  /** Each group's values, one per field (first-seen order of the combinations). */
  groups: unknown[][];
}

/**
 * Groups the selected rows by the values of `names` (at least one): one group per combination that
 * occurs. Missing values group under NONE_LABEL / null (see MissingValues `group`).
 */
export function groupRows(selections: readonly Selection[], names: readonly string[]): Grouping {
  const fields = names.map((name) => codeField(selections, name, 'group'));
  if (fields.length === 1) {
    const only = fields[0];
    return { fields, codes: only.codes, groups: only.values.map((v) => [v]) };
  }
  // A combination's key: its codes as digits of a mixed-radix number while that stays exact, else text.
  let radix = 1;
  for (const f of fields) {
    radix *= Math.max(1, f.values.length);
  }
  const numeric = radix <= Number.MAX_SAFE_INTEGER;
  const map = new Map<number | string, number>();
  const groups: unknown[][] = [];
  const codes = selections.map((s, si) => {
    const n = selectionLength(s);
    const out = new Int32Array(n);
    const perField = fields.map((f) => f.codes[si]);
    let lastKey: number | string | undefined;
    let lastGroup = 0;
    for (let i = 0; i < n; i++) {
      let key: number | string;
      if (numeric) {
        key = 0;
        for (let f = perField.length - 1; f >= 0; f--) {
          key = key * Math.max(1, fields[f].values.length) + perField[f][i];
        }
      } else {
        key = perField[0][i].toString();
        for (let f = 1; f < perField.length; f++) {
          key += ',' + perField[f][i];
        }
      }
      if (key === lastKey) {
        out[i] = lastGroup;
        continue;
      }
      let group = map.get(key);
      if (group === undefined) {
        group = groups.length;
        map.set(key, group);
        groups.push(fields.map((f, fi) => f.values[perField[fi][i]]));
      }
      out[i] = group;
      lastKey = key;
      lastGroup = group;
    }
    return out;
  });
  return { fields, codes, groups };
}

/** Most (group, value) pairs a distinct count tracks in a bitset (16 MB); more use a Set of the pairs seen. */
export const BITSET_LIMIT = 2 ** 27;

/** Entries per group. */
export function countPerGroup(groupCodes: readonly Int32Array[], groups: number): Float64Array {
  const counts = new Float64Array(groups);
  for (const codes of groupCodes) {
    for (let i = 0; i < codes.length; i++) {
      counts[codes[i]]++;
    }
  }
  return counts;
}

/** Distinct values of a field (coded in `skip` mode: missing values not counted) per group. */
export function distinctPerGroup(
  groupCodes: readonly Int32Array[],
  groups: number,
  field: FieldCodes,
  bitsetLimit = BITSET_LIMIT
): Float64Array {
  const counts = new Float64Array(groups);
  const distinct = Math.max(1, field.values.length);
  // The pair (group, value) as one number: both are at most the rows, so it stays an exact integer.
  const pairs = groups * distinct;
  const bits = pairs <= bitsetLimit ? new Uint32Array(Math.ceil(pairs / 32)) : undefined;
  const seen = bits ? undefined : new Set<number>();
  groupCodes.forEach((codes, si) => {
    const values = field.codes[si];
    let last = -1;
    for (let i = 0; i < codes.length; i++) {
      const v = values[i];
      if (v < 0) {
        continue;
      }
      const key = codes[i] * distinct + v;
      if (key === last) {
        continue;
      }
      last = key;
      if (bits) {
        const word = key >>> 5;
        const bit = 1 << (key & 31);
        if ((bits[word] & bit) === 0) {
          bits[word] |= bit;
          counts[codes[i]]++;
        }
      } else if (!seen!.has(key)) {
        seen!.add(key);
        counts[codes[i]]++;
      }
    }
  });
  return counts;
}

/**
 * Compares two groups' values field by field: null last, numbers and times by value, booleans false
 * first, strings by code unit (the same on every machine, unlike localeCompare).
 */
export function compareGroupValues(a: readonly unknown[], b: readonly unknown[]): number {
  for (let i = 0; i < a.length; i++) {
    const c = compareValues(a[i], b[i]);
    if (c !== 0) {
      return c;
    }
  }
  return 0;
}

function compareValues(a: unknown, b: unknown): number {
  if (a === b) {
    return 0;
  }
  if (a === null || a === undefined) {
    return 1;
  }
  if (b === null || b === undefined) {
    return -1;
  }
  if (typeof a === 'number' && typeof b === 'number') {
    return a - b;
  }
  if (typeof a === 'boolean' && typeof b === 'boolean') {
    return a ? 1 : -1;
  }
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}
