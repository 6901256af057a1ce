/**
 * Why a benchmark misses its target (or what a figure needs said beside it),
 * keyed by a measurement name or a leading part of one (the longest matching
 * key wins). Written by hand from what the benchmarks measured; the report
 * generator (`bench/report.ts`) puts them under "Why a target is missed" or
 * "Notes" in `BENCHMARKS.md`.
 */
export const explanations: Readonly<Record<string, string>> = {}
