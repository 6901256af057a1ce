/** A minimal Server-Sent Events reader over fetch, for the change-stream tests and the load benchmark. */

/** One event as received; comments (heartbeats) are kept as `comment`. */
export interface SseEvent {
  readonly id?: string
  readonly event?: string
  readonly data?: string
  readonly comment?: string
}

export interface SseClient {
  readonly status: number
  /** The next event (or comment block); rejects after `timeoutMs`; null when the stream ended. */
  readonly next: (timeoutMs?: number) => Promise<SseEvent | null>
  /** Events until `pred` holds for one (inclusive), skipping comments unless asked. */
  readonly until: (pred: (e: SseEvent) => boolean, timeoutMs?: number) => Promise<SseEvent[]>
  readonly close: () => void
}

export const openSse = async (url: string, headers: Record<string, string>): Promise<SseClient> => {
  const abort = new AbortController()
  const res = await fetch(url, { headers: { accept: "text/event-stream", ...headers }, signal: abort.signal })
  const reader = res.body!.getReader()
  const decoder = new TextDecoder()
  let buffer = ""
  let ended = false
  const queue: SseEvent[] = []
  const parse = (block: string): SseEvent => {
    const e: Record<string, string> = {}
    for (const line of block.split("\n")) {
      if (line.startsWith(":"))
        e.comment = (e.comment === undefined ? "" : `${e.comment}\n`) + line.slice(1).trim()
      else {
        const i = line.indexOf(":")
        const k = i < 0 ? line : line.slice(0, i)
        const v = i < 0 ? "" : line.slice(i + 1).replace(/^ /, "")
        e[k] = k === "data" && e.data !== undefined ? `${e.data}\n${v}` : v
      }
    }
    return e
  }
  const fill = async (): Promise<void> => {
    while (queue.length === 0 && !ended) {
      const { value, done } = await reader.read()
      if (done) {
        ended = true
        break
      }
      buffer += decoder.decode(value, { stream: true })
      let at = buffer.indexOf("\n\n")
      while (at >= 0) {
        queue.push(parse(buffer.slice(0, at)))
        buffer = buffer.slice(at + 2)
        at = buffer.indexOf("\n\n")
      }
    }
  }
  const next = async (timeoutMs = 10_000): Promise<SseEvent | null> => {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no SSE event within ${timeoutMs} ms`)), timeoutMs)
    })
    try {
      await Promise.race([fill(), timeout])
    } finally {
      clearTimeout(timer)
    }
    return queue.shift() ?? null
  }
  return {
    status: res.status,
    next,
    until: async (pred, timeoutMs = 10_000) => {
      const out: SseEvent[] = []
      for (;;) {
        const e = await next(timeoutMs)
        if (e === null) throw new Error(`stream ended before the awaited event; got ${JSON.stringify(out)}`)
        if (e.event === undefined && e.comment !== undefined && e.data === undefined && e.id === undefined)
          continue
        out.push(e)
        if (pred(e)) return out
      }
    },
    close: () => abort.abort(),
  }
}
