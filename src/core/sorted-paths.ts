// Binary search over paths sorted by UTF-16 code units (a commit's listing, a build context).

/** The first index in [from, count) whose path is >= `key`. */
export function lowerBound(count: number, pathAt: (i: number) => string, key: string, from = 0): number {
  let lo = from;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pathAt(mid) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** [from, to) of the paths below `dir` (not ''): they sort together, from `dir/` up to `dir0`. */
export function rangeUnder(count: number, pathAt: (i: number) => string, dir: string): [number, number] {
  const from = lowerBound(count, pathAt, `${dir}/`);
  return [from, lowerBound(count, pathAt, `${dir}0`, from)];
}
