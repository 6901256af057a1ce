/** The planner's working state, shared by its steps (mutable while planning, frozen into the report). */
import type { Node, NodeId } from "../../Node.js"
import type { Prefix } from "../../Prefix.js"
import type { ApprovedBy } from "../../Route.js"
import type {
  DroppedPrimary,
  DuplicateCollapsed,
  InvalidPrefix,
  MalformedColumn,
  MaskedPrefix,
  OrphanSkipped,
  PrimaryRef,
  RouteRef,
  SourceRow,
} from "../ImportReport.js"

/** One (node, prefix) the source holds, after collapsing duplicates. @category models */
export interface Candidate {
  readonly nodeId: NodeId
  readonly prefix: Prefix
  readonly row: SourceRow
  advertised: boolean
  enabled: boolean
  approvedBy: ApprovedBy | null
  storedPrimary: boolean
  createdAt: number
}

/** Report lists under construction. @category models */
export interface Findings {
  readonly imported: Array<NodeId>
  readonly alreadyPresent: Array<NodeId>
  readonly skippedDeleted: Array<NodeId>
  readonly unknownUser: Array<{ nodeId: NodeId; userId: number | null }>
  readonly routesPresent: Array<RouteRef>
  readonly routesDeleted: Array<{ row: SourceRow; nodeId: NodeId | null; prefix: string | null }>
  readonly duplicates: Array<DuplicateCollapsed>
  readonly orphans: Array<OrphanSkipped>
  readonly invalid: Array<InvalidPrefix>
  readonly masked: Array<MaskedPrefix>
  readonly malformed: Array<MalformedColumn>
  readonly byPolicy: Array<RouteRef>
  readonly droppedNotAdvertised: Array<RouteRef>
  readonly completed: Array<{ nodeId: NodeId; enabled: string; added: string }>
  readonly leftHalf: Array<{ nodeId: NodeId; enabled: string; missing: string }>
  readonly kept: Array<PrimaryRef>
  readonly dropped: Array<DroppedPrimary>
  readonly elected: Array<PrimaryRef>
}

/** @category constructors */
export const emptyFindings = (): Findings => ({
  imported: [],
  alreadyPresent: [],
  skippedDeleted: [],
  unknownUser: [],
  routesPresent: [],
  routesDeleted: [],
  duplicates: [],
  orphans: [],
  invalid: [],
  masked: [],
  malformed: [],
  byPolicy: [],
  droppedNotAdvertised: [],
  completed: [],
  leftHalf: [],
  kept: [],
  dropped: [],
  elected: [],
})

/** A live source node: the record to use (imported or already in the target) and whether it is new. @category models */
export interface SourceNode {
  readonly node: Node
  readonly isNew: boolean
  /** Headscale's host_info and route list, for the list eras. */
  readonly hostInfo: string | null
  readonly routeList: string | null
}

/** Candidates by (node, prefix) in first-seen order. @category models */
export class CandidateTable {
  private readonly byKey = new Map<string, Candidate>()
  readonly ordered: Array<Candidate> = []

  get(nodeId: NodeId, prefix: Prefix): Candidate | undefined {
    return this.byKey.get(`${nodeId} ${prefix.text}`)
  }

  add(c: Candidate): void {
    this.byKey.set(`${c.nodeId} ${c.prefix.text}`, c)
    this.ordered.push(c)
  }
}

/** Groups repeated prefixes of one source column: first row kept, later rows collapsed. @category models */
export class DuplicateLog {
  private readonly seen = new Map<string, DuplicateCollapsed & { collapsed: Array<SourceRow> }>()

  /** True when `prefix` was already seen in this column (the row is then logged as collapsed). */
  note(nodeId: NodeId, prefix: string, row: SourceRow): boolean {
    const key = `${nodeId} ${prefix}`
    const d = this.seen.get(key)
    if (d === undefined) {
      this.seen.set(key, { nodeId, prefix, kept: row, collapsed: [] })
      return false
    }
    d.collapsed.push(row)
    return true
  }

  into(out: Array<DuplicateCollapsed>): void {
    for (const d of this.seen.values()) if (d.collapsed.length > 0) out.push(d)
  }
}
