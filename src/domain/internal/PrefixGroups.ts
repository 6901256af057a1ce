/**
 * The live rows of each prefix, numbered: each prefix with live rows has a
 * slot, each slot its group (whose first row gives the prefix and its text
 * back), and each held route id the slot of its prefix (a row never changes
 * prefix). A transition that schedules a row's prefix by slot, and the
 * election that reads the group back by slot, read a typed array and a dense
 * array instead of the row's Prefix, its text and a Map probe keyed by that
 * text: in a failover storm those were cache misses scattered over the heap,
 * several per prefix. A prefix is found by its numbers (`PrefixTable`); a
 * lookup by text parses the text first.
 *
 * The group array costs 8 B per prefix and the id array 4 B per route (off
 * the JS heap). A prefix whose last row leaves frees its slot for the next new
 * prefix; its rows' ids are cleared as they leave, so a slot read through a
 * live row's id is always that row's prefix.
 */
import { Result } from "effect"
import { isExitRoute, type Prefix, parsePrefix } from "../Prefix.js"
import type { Route } from "../Route.js"
import { IdSlots } from "./IdSlots.js"
import { PrefixTable } from "./PrefixTable.js"

/** Prefix groups by slot, and slots by prefix and (`ofRoute`) by route id. */
export class PrefixGroups {
  private groups: Array<Route[] | undefined> = []
  private readonly table = new PrefixTable((slot) => this.prefixAt(slot))
  private readonly freeSlots: number[] = []
  /** Slots of the two exit prefixes, -1 while they have no rows. */
  private exitV4 = -1
  private exitV6 = -1
  /** Per route id: its prefix's slot (a row never changes prefix); cleared as rows leave. */
  readonly ofRoute = new IdSlots()

  /** The slot of a prefix with live rows, or -1. */
  slotOf(prefix: Prefix): number {
    return this.table.find(prefix)
  }

  /** The slot of a canonical prefix text with live rows, or -1 (also for any other spelling). */
  slotOfText(text: string): number {
    const parsed = parsePrefix(text)
    if (Result.isFailure(parsed)) return -1
    const slot = this.table.find(parsed.success)
    return slot >= 0 && this.textAt(slot) === text ? slot : -1
  }

  /** The live rows of a slot in use. */
  rowsAt(slot: number): Route[] {
    return this.groups[slot]!
  }

  /** The prefix of a slot in use. */
  prefixAt(slot: number): Prefix {
    // A group is never empty, and its rows share one Prefix: no array of prefixes is kept
    // (8 B a prefix), at one more read when a prefix is elected by slot.
    return this.groups[slot]![0]!.prefix
  }

  /** The text of a slot in use. */
  textAt(slot: number): string {
    return this.prefixAt(slot).text
  }

  isExitAt(slot: number): boolean {
    return slot === this.exitV4 || slot === this.exitV6
  }

  /** Every text with live rows. */
  *allTexts(): Generator<string> {
    for (const [text] of this.entries()) yield text
  }

  /** Every text with its live rows. */
  *entries(): Generator<readonly [string, ReadonlyArray<Route>]> {
    for (const group of this.groups) if (group !== undefined) yield [group[0]!.prefix.text, group]
  }

  /** A new slot for a prefix that has none, with its first rows. */
  open(prefix: Prefix, group: Route[]): number {
    const slot = this.freeSlots.length > 0 ? this.freeSlots.pop()! : this.groups.length
    this.table.insert(prefix, slot)
    this.groups[slot] = group
    if (isExitRoute(prefix)) {
      if (prefix.family === 6) this.exitV6 = slot
      else this.exitV4 = slot
    }
    return slot
  }

  /** Stores a slot's group as rewritten. */
  set(slot: number, group: Route[]): void {
    this.groups[slot] = group
  }

  /** Frees the slot of `prefix`, whose last row left. */
  free(slot: number, prefix: Prefix): void {
    this.table.remove(prefix, slot)
    this.groups[slot] = undefined
    if (slot === this.exitV4) this.exitV4 = -1
    if (slot === this.exitV6) this.exitV6 = -1
    this.freeSlots.push(slot)
  }

  /**
   * After a build: each group longer than `limit` (grown by `push`) and the
   * array of groups itself (grown slot by slot) become exact-size copies.
   */
  trimAbove(limit: number): void {
    for (let slot = 0; slot < this.groups.length; slot++) {
      const group = this.groups[slot]
      if (group !== undefined && group.length > limit) this.groups[slot] = group.slice()
    }
    this.groups = this.groups.slice()
  }
}
