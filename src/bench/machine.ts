/** The machine a benchmark ran on: Node, CPU, cores, memory, load, WebAssembly SIMD. */
import { arch, availableParallelism, cpus, loadavg, platform, totalmem } from 'node:os';
import { wasmRandomAvailable } from '../random/wasm.js';
import type { MachineInfo } from './types.js';

/** The load average (1, 5, 15 minutes), two decimals. */
export function loadAverage(): number[] {
  return loadavg().map((x) => Math.round(x * 100) / 100);
}

/** What is known of this machine now (the load average after is filled in at the end). */
export function machineInfo(): MachineInfo {
  const list = cpus();
  const load = loadAverage();
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: platform(),
    arch: arch(),
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    availableParallelism: availableParallelism(),
    totalMemoryBytes: totalmem(),
    wasmSimd: wasmRandomAvailable(),
    loadAverageBefore: load,
    loadAverageAfter: load,
  };
}

/** One line: `node v20.20.2, <cpu>, 2 cores, WebAssembly SIMD yes, load average 1.2 1.0 0.9`. */
export function describeMachine(m: MachineInfo): string {
  const gib = (m.totalMemoryBytes / 2 ** 30).toFixed(0);
  return (
    `node ${m.node} (${m.platform}-${m.arch}), ${m.cpu}, ${m.cores} cores, ${gib} GiB, ` +
    `WebAssembly SIMD ${m.wasmSimd ? 'yes' : 'no'}; load average before ` +
    `${m.loadAverageBefore.join(' ')}, after ${m.loadAverageAfter.join(' ')}`
  );
}
