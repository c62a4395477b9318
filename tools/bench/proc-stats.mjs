// CPU time and memory of processes, read from Linux's /proc.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** The fields of /proc/<pid>/stat (or <pid>/task/<tid>/stat) after the command name: [state, ppid, ...]; utime is [11], stime [12]. */
function statFields(pid) {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

/** CPU-seconds (user + system) a process has used so far; `reaped` adds its waited-for children's. */
export function cpuSeconds(pid, { reaped = false } = {}) {
  const f = statFields(pid);
  const ticks = Number(f[11]) + Number(f[12]) + (reaped ? Number(f[13]) + Number(f[14]) : 0);
  return ticks / ticksPerSecond;
}

/** CPU-seconds of a server and its children: the live ones, and (through the parent's counters) those that exited. */
export function treeCpuSeconds(pid) {
  let total = cpuSeconds(pid, { reaped: true });
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (Number(statFields(entry)[1]) === pid) total += cpuSeconds(entry);
    } catch {
      // exited meanwhile
    }
  }
  return total;
}

/** Resident set size in MB (VmRSS of /proc/<pid>/status). */
export function rssMb(pid) {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

/** The share of one core each process used over `ms` (100 = a whole core). */
export async function cpuPercent(pids, ms) {
  const before = pids.map((pid) => cpuSeconds(pid));
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const elapsed = (performance.now() - started) / 1000;
  return pids.map((pid, i) => ((cpuSeconds(pid) - before[i]) / elapsed) * 100);
}

/**
 * CPU-seconds of a process's threads: the main thread (its id is the process's) as `main`, the others summed by name
 * (on Node 20 V8's and libuv's workers are all called like the process).
 */
export function threadCpuSeconds(pid) {
  const byName = {};
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const name = Number(tid) === pid ? 'main' : `${readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim()} (other threads)`;
      const f = statFields(`${pid}/task/${tid}`);
      byName[name] = (byName[name] ?? 0) + (Number(f[11]) + Number(f[12])) / ticksPerSecond;
    } catch {
      // exited meanwhile
    }
  }
  return byName;
}
