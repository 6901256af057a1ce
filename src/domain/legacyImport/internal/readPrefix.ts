/** One stored prefix element → a route prefix, or a reported rejection. */
import { Result } from "effect"
import type { NodeId } from "../../Node.js"
import { normalisePrefix, type Prefix } from "../../Prefix.js"
import { isViaPrefix, validateViaPrefix } from "../../via.js"
import type { SourceRow } from "../ImportReport.js"
import type { Findings } from "./findings.js"

/**
 * Lenient like Hostinfo ingestion: host bits are masked (and reported),
 * anything else unparsable, or an invalid 4via6 prefix, is skipped and reported.
 *
 * @category constructors
 */
export const readPrefix = (
  input: unknown,
  nodeId: NodeId | null,
  row: SourceRow,
  findings: Findings,
): Prefix | undefined => {
  if (typeof input !== "string") {
    const text = input === null || input === undefined ? "" : JSON.stringify(input)
    findings.invalid.push({ nodeId, row, input: text, reason: "not a prefix string" })
    return undefined
  }
  const r = normalisePrefix(input)
  if (Result.isFailure(r)) {
    findings.invalid.push({ nodeId, row, input, reason: r.failure.message })
    return undefined
  }
  const { prefix, masked } = r.success
  if (isViaPrefix(prefix)) {
    const v = validateViaPrefix(prefix)
    if (Result.isFailure(v)) {
      findings.invalid.push({ nodeId, row, input, reason: v.failure.message })
      return undefined
    }
  }
  if (masked && nodeId !== null) findings.masked.push({ nodeId, row, input, prefix: prefix.text })
  return prefix
}
