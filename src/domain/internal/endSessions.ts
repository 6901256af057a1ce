/** Drops the sessions of ended holders from every live node, in id order; shared by start-up and the lease reaper. */
import { dropEndedHolders, type HolderEnd } from "../presence.js"
import type { RouteView } from "../RouteView.js"
import type { Draft } from "./Draft.js"
import { liveNodesById } from "./lookup.js"

/** `view` is the state `draft` was opened on, before anything was put. */
export const endSessions = (view: RouteView, draft: Draft, ended: HolderEnd): void => {
  for (const n of liveNodesById(view, (n) => n.presence.sessions > 0)) {
    const presence = dropEndedHolders(n.presence, ended)
    if (presence !== null) draft.putNode({ ...n, presence })
  }
}
