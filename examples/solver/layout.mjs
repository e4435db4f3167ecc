// How the N x N grid is split over the ranks: contiguous blocks of whole rows,
// the first N % size ranks taking one row more.

/** The first row and the number of rows rank `r` of `size` holds. */
export function rowBlock(n, size, r) {
  const base = Math.floor(n / size),
    extra = n % size;
  const count = base + (r < extra ? 1 : 0);
  const start = r * base + Math.min(r, extra);
  return { start, count };
}

/** Row counts and first rows for every rank, as element counts of N-wide rows (for Gatherv). */
export function blockCounts(n, size) {
  const counts = new Int32Array(size),
    displs = new Int32Array(size);
  for (let r = 0; r < size; r++) {
    const { start, count } = rowBlock(n, size, r);
    counts[r] = count * n;
    displs[r] = start * n;
  }
  return { counts, displs };
}
