/**
 * Child-process entry of the concurrency test: `tsx concurrencyWorker.ts <url> <client> <ops>`.
 * Prints `ready` once its pool is open, starts on a `go` line on stdin, and
 * prints its ClientReport as one JSON line.
 */
import { createInterface } from "node:readline"
import { runClient } from "./concurrencyClient.js"

const [url, client, ops] = process.argv.slice(2)
const lines = createInterface({ input: process.stdin })
const go = new Promise<void>((resolve) => lines.once("line", () => resolve()))
const report = await runClient(url!, Number(client), Number(ops), {
  ready: () => process.stdout.write("ready\n"),
  go,
})
lines.close()
process.stdout.write(`${JSON.stringify(report)}\n`)
