/**
 * A slot number for each held route id, in one typed array indexed by id (4 B
 * an id, off the JS heap): the node slot and the prefix slot of a row are each
 * one of these. Ids are allocated one by one, so the array is dense; an id too
 * far past the ones held (never allocated by this library, but a store could
 * hold one) is not held, and its caller looks the row's key up instead.
 */
import type { RouteId } from "../Route.js"

/** What `get` answers for an id this does not hold. */
export const notHeld = -1

/** Room for ids up to this far past twice the ids held. */
const SLACK = 65_536

/** Slot numbers by route id. */
export class IdSlots {
  /** Per id: its slot plus one; 0 when the id is not held. */
  private slotPlusOne = new Int32Array(0)
  private held = 0

  /** The slot of a held id, or `notHeld`. */
  get(id: RouteId): number {
    const s = id < this.slotPlusOne.length ? this.slotPlusOne[id]! : 0
    return s > 0 ? s - 1 : notHeld
  }

  /** Makes room for ids up to `top` at once (a whole load of `count` rows), where each would grow it. */
  reserve(top: number, count: number): void {
    if (this.holds(top, count)) this.grow(top)
  }

  /** Holds `id` at `slot` (an id far past the rest is not held). */
  set(id: RouteId, slot: number): void {
    if (!(id < this.slotPlusOne.length)) {
      if (!this.holds(id, 1)) return
      this.grow(id)
    }
    if (this.slotPlusOne[id] === 0) this.held++
    this.slotPlusOne[id] = slot + 1
  }

  /** Forgets an id. */
  clear(id: RouteId): void {
    if (id < this.slotPlusOne.length && this.slotPlusOne[id]! > 0) {
      this.slotPlusOne[id] = 0
      this.held--
    }
  }

  private holds(id: RouteId, more: number): boolean {
    return Number.isInteger(id) && id > 0 && id <= 2 * (this.held + more) + SLACK
  }

  private grow(top: number): void {
    if (top < this.slotPlusOne.length) return
    const next = new Int32Array(Math.max(top + 1, 2 * this.slotPlusOne.length))
    next.set(this.slotPlusOne)
    this.slotPlusOne = next
  }
}
