/** Operator choices for the transitions and the election (DESIGN §2–3). */

/** @category models */
export interface Options {
  /** What a withdrawal does to the approval: `"disable"` (default) or keep it (`"retain"`). */
  readonly onWithdraw: "disable" | "retain"
  /** With nothing eligible: keep the last primary flagged while it is live, advertised, enabled (default), or clear it. */
  readonly whenNoneEligible: "keep-last" | "clear"
  /** Milliseconds a disconnect is ignored by the election; 0 means at once. Default 15 000. */
  readonly gracePeriodMs: number
  /** Let a strictly higher-priority eligible route take over. Off by default. */
  readonly preemption: boolean
  /** How long a higher-priority route must have been eligible before it preempts, in ms. Default 0. */
  readonly preemptDelayMs: number
  /**
   * Most prefixes one advertisement may carry (distinct, after parsing); a
   * larger one is refused whole with `TooManyRoutes`, so no single node holds
   * the manager's lock for long. Default 10 000.
   */
  readonly maxRoutesPerNode: number
}

/** @category constructors */
export const defaultOptions: Options = {
  onWithdraw: "disable",
  whenNoneEligible: "keep-last",
  gracePeriodMs: 15_000,
  preemption: false,
  preemptDelayMs: 0,
  maxRoutesPerNode: 10_000,
}

/** @category constructors */
export const makeOptions = (partial: Partial<Options> = {}): Options => ({ ...defaultOptions, ...partial })
