/**
 * Every target the issues set on a benchmark, in the order `BENCHMARKS.md`
 * lists them. Each suite's targets live in `bench/targets/<suite>.ts`: to add
 * targets, add them to that file (or create it for a new suite, after the
 * pattern there, and list it here). `Target` and the finders are in
 * `bench/targets/target.ts`; why a missed one misses goes in `explanations.ts`.
 */
import { bignodeTargets } from "./targets/bignode.js"
import { coreTargets } from "./targets/core.js"
import { memoryTargets } from "./targets/memory.js"
import { overlapsTargets } from "./targets/overlaps.js"
import { prefixTargets } from "./targets/prefix.js"
import { replicasTargets } from "./targets/replicas.js"
import { serviceTargets } from "./targets/service.js"
import { storageTargets } from "./targets/storage.js"
import type { Target } from "./targets/target.js"

export const targets: ReadonlyArray<Target> = [
  ...prefixTargets,
  ...overlapsTargets,
  ...coreTargets,
  ...storageTargets,
  ...memoryTargets,
  ...replicasTargets,
  ...bignodeTargets,
  ...serviceTargets,
]
