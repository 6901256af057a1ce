/** What the SQL adapters' paged `loadAll` shares: the page size, and ordering rows only when they need it. */

/**
 * Rows a load reads per statement or round trip. Reading a whole 1M-route
 * table at once kept a million row arrays (and their strings) alive, and the
 * collector copied and marked them over and over: more time than the reads.
 * A page's arrays die young; only the domain values built from them survive.
 */
export const loadPage = 8192

/** Sorts `xs` in place by `order` unless it already is (one pass: a table read back in its own order usually is). */
export const sortUnlessSorted = <A>(xs: A[], order: (a: A, b: A) => number): void => {
  for (let i = 1; i < xs.length; i++) {
    if (order(xs[i - 1]!, xs[i]!) > 0) {
      xs.sort(order)
      return
    }
  }
}
