/** The autoApprovers part of a tailnet policy (DESIGN §4). */

/** `alice@`, `alice@example.com`, `group:name` or `tag:name`. @category models */
export type Approver = string

/** @category models */
export interface Policy {
  /** `group:name` → member users, written like `Node.user`. */
  readonly groups?: Readonly<Record<string, ReadonlyArray<string>>>
  readonly autoApprovers?: {
    /** Prefix text → approvers; a route inside (or equal to) an entry of its family is approved. */
    readonly routes?: Readonly<Record<string, ReadonlyArray<Approver>>>
    /** Approvers of the exit pair (`0.0.0.0/0` + `::/0`). */
    readonly exitNode?: ReadonlyArray<Approver>
  }
}

/** @category constructors */
export const emptyPolicy: Policy = {}
