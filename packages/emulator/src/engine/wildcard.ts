/**
 * `~` wildcard matching without a regular expression. A pattern is split at its `*` runs into segments; the
 * first segment must match at the start, the last at the end, and each middle segment is found greedily at its
 * leftmost place (for `*`-only wildcards the leftmost place is always safe). No step ever backtracks, so a value
 * of length n costs at most n × (pattern length) character comparisons whatever the number of stars; the old
 * regular expression (`^a.*.*.*!$`) backtracked exponentially in the number of stars.
 *
 * The semantics are those the engine always had (the regular expression `^…$` with flags `is`, kept as the
 * reference in the tests): `*` any run, `?` exactly one UTF-16 code unit (newlines too), every other character
 * literal (a backslash too), the whole value must match, case folded as a non-Unicode `i` regular expression
 * does: both code units are mapped through the spec's Canonicalize (upper case, unless that takes a non-ASCII
 * character into ASCII or needs more than one code unit).
 */

/** A compiled pattern: true when the whole string matches. */
export type WildcardMatcher = (value: string) => boolean;

const ANY_ONE = -1;
const STAR = 42;
const QUESTION = 63;

let canonTable: Uint16Array | undefined;

/** Canonicalize(ch) of ECMA-262 for ignoreCase without the `u` flag, for every UTF-16 code unit. */
function canon(): Uint16Array {
  if (canonTable !== undefined) return canonTable;
  const table = new Uint16Array(65536);
  for (let c = 0; c < 65536; c++) {
    const upper = String.fromCharCode(c).toUpperCase();
    const cu = upper.length === 1 ? upper.charCodeAt(0) : c;
    table[c] = c >= 128 && cu < 128 ? c : cu;
  }
  canonTable = table;
  return table;
}

/** One `*`-free run of the pattern: canonical code units, {@link ANY_ONE} for `?`. */
type Segment = Int32Array;

function segmentOf(pattern: string, from: number, to: number, table: Uint16Array): Segment {
  const seg = new Int32Array(to - from);
  for (let i = from; i < to; i++) {
    const c = pattern.charCodeAt(i);
    seg[i - from] = c === QUESTION ? ANY_ONE : (table[c] as number);
  }
  return seg;
}

/** True when `seg` matches `value` at offset `at` (the caller checks that it fits). */
function matchesAt(seg: Segment, value: string, at: number, table: Uint16Array): boolean {
  for (let k = 0; k < seg.length; k++) {
    const p = seg[k] as number;
    if (p !== ANY_ONE && p !== table[value.charCodeAt(at + k)]) return false;
  }
  return true;
}

/** Compiles a `~` pattern into a matcher (see the module comment for the exact semantics). */
export function compileWildcard(pattern: string): WildcardMatcher {
  const table = canon();
  const segments: Segment[] = [];
  let from = 0;
  let stars = 0;
  for (let i = 0; i <= pattern.length; i++) {
    if (i === pattern.length || pattern.charCodeAt(i) === STAR) {
      segments.push(segmentOf(pattern, from, i, table));
      if (i < pattern.length) stars++;
      from = i + 1;
    }
  }
  const first = segments[0] as Segment;
  if (stars === 0) return (v) => v.length === first.length && matchesAt(first, v, 0, table);
  const last = segments[segments.length - 1] as Segment;
  const middle = segments.slice(1, -1).filter((s) => s.length > 0);
  let minLength = first.length + last.length;
  for (const s of middle) minLength += s.length;
  if (middle.length === 0 && first.length === 0 && last.length === 0) return () => true;
  return (v) => {
    const n = v.length;
    if (n < minLength) return false;
    if (!matchesAt(first, v, 0, table)) return false;
    const tailStart = n - last.length;
    if (!matchesAt(last, v, tailStart, table)) return false;
    let pos = first.length;
    for (let s = 0; s < middle.length; s++) {
      const seg = middle[s] as Segment;
      const lastStart = tailStart - seg.length;
      let at = pos;
      while (at <= lastStart && !matchesAt(seg, v, at, table)) at++;
      if (at > lastStart) return false;
      pos = at + seg.length;
    }
    return true;
  };
}
