/** A binary min-heap of (key, id) entries with range walks that do not pop. */

export interface Entry {
  readonly key: number
  readonly id: string
  /** Set by the owner when the entry no longer holds (lazy deletion without a lookup). */
  stale: boolean
}

/** Min-heap on `key`; stale entries are the caller's business (lazy deletion). */
export class MinHeap {
  private readonly items: Entry[] = []

  get size(): number {
    return this.items.length
  }

  push(e: Entry): void {
    const a = this.items
    a.push(e)
    let i = a.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (a[parent]!.key <= e.key) break
      a[i] = a[parent]!
      i = parent
    }
    a[i] = e
  }

  peek(): Entry | undefined {
    return this.items[0]
  }

  pop(): Entry | undefined {
    const a = this.items
    const top = a[0]
    const last = a.pop()
    if (top === undefined || last === undefined || a.length === 0) return top
    let i = 0
    for (;;) {
      const l = 2 * i + 1
      if (l >= a.length) break
      const r = l + 1
      const c = r < a.length && a[r]!.key < a[l]!.key ? r : l
      if (a[c]!.key >= last.key) break
      a[i] = a[c]!
      i = c
    }
    a[i] = last
    return top
  }

  /**
   * Visits every entry with `key <= bound`; children of a larger key are
   * skipped, so the cost is the number of entries visited.
   */
  walk(bound: number, visit: (e: Entry) => void): void {
    const a = this.items
    const stack: number[] = a.length > 0 ? [0] : []
    while (stack.length > 0) {
      const i = stack.pop()!
      const e = a[i]!
      if (e.key > bound) continue
      visit(e)
      const l = 2 * i + 1
      if (l < a.length) stack.push(l)
      if (l + 1 < a.length) stack.push(l + 1)
    }
  }

  /** The least key above `bound` among entries accepted by `valid`, looking through the others. */
  firstAbove(bound: number, valid: (e: Entry) => boolean): number | null {
    const a = this.items
    let best: number | null = null
    const stack: number[] = a.length > 0 ? [0] : []
    while (stack.length > 0) {
      const i = stack.pop()!
      const e = a[i]!
      if (best !== null && e.key >= best) continue
      if (e.key > bound && valid(e)) {
        best = e.key
        continue
      }
      const l = 2 * i + 1
      if (l < a.length) stack.push(l)
      if (l + 1 < a.length) stack.push(l + 1)
    }
    return best
  }
}
