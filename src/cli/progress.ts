/** A one-line progress bar, drawn only on a terminal (redrawn in place with `\r`). */
import type { OutStream } from "./CommandContext.js"

/** @category models */
export interface Progress {
  /** Redraws with `done` of `total` and a short status. */
  readonly update: (done: number, status: string) => void
  /** Clears the line. */
  readonly finish: () => void
}

const WIDTH = 30

/** The bar text for `done` of `total`: `[#######.......]  40%  status`. @category getters */
export const progressLine = (done: number, total: number, status: string): string => {
  const ratio = total <= 0 ? 1 : Math.min(1, Math.max(0, done / total))
  const filled = Math.round(ratio * WIDTH)
  return `[${"#".repeat(filled)}${".".repeat(WIDTH - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}%  ${status}`
}

/** A bar on `stream` when it is a terminal, else one that draws nothing. @category constructors */
export const makeProgress = (stream: OutStream, total: number): Progress => {
  if (stream.isTTY !== true) return { update: () => undefined, finish: () => undefined }
  let last = ""
  return {
    update: (done, status) => {
      const line = progressLine(done, total, status)
      if (line === last) return
      last = line
      stream.write(`\r\u001b[2K${line}`)
    },
    finish: () => {
      if (last !== "") stream.write("\r\u001b[2K")
    },
  }
}
