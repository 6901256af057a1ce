/** What a Headscale import did, as data: counted, and every exception named. */
import type { NodeId } from "../Node.js"
import type { RouteId } from "../Route.js"
import type { HeadscaleEra } from "./HeadscaleDump.js"

/**
 * A source row, named so an operator can find it: `routes#7` (a routes-table
 * row), `enabled_routes[2]`, `approved_routes[0]`, `host_info.RoutableIPs[1]`.
 *
 * @category models
 */
export type SourceRow = string

/** A route by node and canonical prefix. @category models */
export interface RouteRef {
  readonly nodeId: NodeId
  readonly prefix: string
}

/** Several source rows for one (node, prefix), collapsed into one route. @category models */
export interface DuplicateCollapsed extends RouteRef {
  readonly kept: SourceRow
  readonly collapsed: ReadonlyArray<SourceRow>
}

/** A route row whose node is absent (or soft-deleted), skipped. @category models */
export interface OrphanSkipped {
  readonly row: SourceRow
  readonly nodeId: NodeId | null
  readonly prefix: string | null
  readonly reason: "NoSuchNode" | "NodeDeleted"
}

/** A stored prefix that is not a valid route prefix, skipped. @category models */
export interface InvalidPrefix {
  readonly nodeId: NodeId | null
  readonly row: SourceRow
  readonly input: string
  readonly reason: string
}

/** A stored prefix with host bits set, imported as its masked prefix. @category models */
export interface MaskedPrefix {
  readonly nodeId: NodeId
  readonly row: SourceRow
  readonly input: string
  readonly prefix: string
}

/** A JSON column that could not be read; the node is imported without it. @category models */
export interface MalformedColumn {
  readonly nodeId: NodeId
  readonly column: string
  readonly input: string
  readonly reason: string
}

/** A primary route, by prefix. @category models */
export interface PrimaryRef extends RouteRef {
  readonly routeId: RouteId
}

/** Why a primary stored by Headscale was not kept. @category models */
export type DroppedPrimaryReason =
  | "ExitRoute"
  | "NotAdvertised"
  | "NotEnabled"
  | "NodeExpired"
  /** The target store already has a primary for the prefix (sticky). */
  | "PrefixHasPrimary"
  /** Headscale flagged two routes of one prefix; the election's order kept the other. */
  | "AnotherPrimaryKept"
  /** Valid, but the election chose another route (e.g. grace 0 and an online router elsewhere). */
  | "NotElected"

/** @category models */
export interface DroppedPrimary extends RouteRef {
  readonly row: SourceRow
  readonly reason: DroppedPrimaryReason
}

/** @category models */
export interface ImportReport {
  readonly era: HeadscaleEra
  readonly nodes: {
    /** Node rows in the source. */
    readonly read: number
    readonly imported: ReadonlyArray<NodeId>
    /** Already in the target: left as they are. */
    readonly alreadyPresent: ReadonlyArray<NodeId>
    /** Soft-deleted in Headscale: not imported. */
    readonly skippedDeleted: ReadonlyArray<NodeId>
    /** Imported with user `""` (matches no approver): their user row is gone. */
    readonly unknownUser: ReadonlyArray<{ readonly nodeId: NodeId; readonly userId: number | null }>
  }
  readonly routes: {
    readonly imported: number
    /** A live row for (node, prefix) is already in the target: left as it is. */
    readonly alreadyPresent: ReadonlyArray<RouteRef>
    /** Soft-deleted routes-table rows: history, not imported. */
    readonly skippedDeleted: ReadonlyArray<{
      readonly row: SourceRow
      readonly nodeId: NodeId | null
      readonly prefix: string | null
    }>
  }
  readonly duplicates: ReadonlyArray<DuplicateCollapsed>
  readonly orphans: ReadonlyArray<OrphanSkipped>
  readonly invalidPrefixes: ReadonlyArray<InvalidPrefix>
  readonly maskedPrefixes: ReadonlyArray<MaskedPrefix>
  readonly malformed: ReadonlyArray<MalformedColumn>
  readonly approvals: {
    /** Advertised, not enabled in Headscale, approved by the target's autoApprovers. */
    readonly byPolicy: ReadonlyArray<RouteRef>
    /** Enabled in Headscale but not advertised, imported disabled (`onWithdraw: "disable"`). */
    readonly droppedNotAdvertised: ReadonlyArray<RouteRef>
  }
  readonly exitPairs: {
    /** One half was enabled and the other advertised: both enabled. */
    readonly completed: ReadonlyArray<{
      readonly nodeId: NodeId
      readonly enabled: string
      readonly added: string
    }>
    /** One half was enabled, the other not advertised: imported with neither enabled. */
    readonly leftHalf: ReadonlyArray<{
      readonly nodeId: NodeId
      readonly enabled: string
      readonly missing: string
    }>
  }
  readonly primaries: {
    /** Stored by Headscale and still valid. */
    readonly kept: ReadonlyArray<PrimaryRef>
    readonly dropped: ReadonlyArray<DroppedPrimary>
    /** Chosen by our election for imported routes. */
    readonly elected: ReadonlyArray<PrimaryRef>
  }
  /** The target already held everything: nothing to write. */
  readonly upToDate: boolean
}
