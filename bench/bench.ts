// `npm run bench`: every benchmark of dsim, each printing its throughput beside the floor or the
// target it is measured against. Benchmarks live here, never in timed tests.

import { runKernelBench } from "./kernel.bench.ts";

runKernelBench();
console.log("");
const { runScalingBench } = await import("./scaling.ts");
await runScalingBench();
console.log("");
const { runCeilingBench, runWorkloadCeilingBench } = await import("./ceiling.ts");
await runCeilingBench();
await runWorkloadCeilingBench();
console.log("");
await import("./linearizability.bench.ts");
console.log("");
await import("./explore.bench.ts");
console.log("");
const { runReportBench } = await import("./report.bench.ts");
runReportBench();
await import("./serializability.bench.ts");
console.log("");
const { runPorcupineBenchIfGiven } = await import("./porcupine.bench.ts");
runPorcupineBenchIfGiven();
console.log("");
const { runShrinkBench } = await import("./shrink.bench.ts");
runShrinkBench();
