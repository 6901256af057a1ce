/**
 * Slows an address that keeps presenting bad keys: after `free` failures in
 * `windowMs`, each further failure waits twice as long as the one before
 * (from `baseMs`, at most `maxMs`) before its 401 goes out. A success does
 * not reset the count (a key guesser may hold one good key). Memory is
 * bounded: the table is cleared when it grows past `maxAddresses`.
 */

/** @category models */
export interface ThrottleSettings {
  readonly free: number
  readonly windowMs: number
  readonly baseMs: number
  readonly maxMs: number
  readonly maxAddresses: number
}

/** @category constructors */
export const defaultThrottle: ThrottleSettings = {
  free: 5,
  windowMs: 60_000,
  baseMs: 100,
  maxMs: 5_000,
  maxAddresses: 100_000,
}

/** @category constructors */
export class FailureThrottle {
  private readonly seen = new Map<string, { count: number; since: number }>()
  constructor(private readonly settings: ThrottleSettings = defaultThrottle) {}

  /** Records a failure from `address` at `now`; returns how long to wait before answering, in ms. */
  fail(address: string, now: number): number {
    const s = this.settings
    let entry = this.seen.get(address)
    if (entry === undefined || now - entry.since > s.windowMs) {
      if (this.seen.size >= s.maxAddresses) this.seen.clear()
      entry = { count: 0, since: now }
      this.seen.set(address, entry)
    }
    entry.count++
    const over = entry.count - s.free
    return over <= 0 ? 0 : Math.min(s.maxMs, s.baseMs * 2 ** Math.min(over - 1, 16))
  }
}
