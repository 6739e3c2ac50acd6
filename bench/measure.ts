// What the benchmark scripts measure with: CPU seconds and memory from /proc, and the percentiles they report.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const CLK_TCK = (() => {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const n = Number(r.stdout?.trim());
  return Number.isFinite(n) && n > 0 ? n : 100;
})();

/** CPU seconds (user + system, all threads) a process has used so far, or null when it is gone. */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch { return null; }
}

/** Resident memory now and its peak (VmHWM), in MB. */
export function memory(pid: number): { rss: number; peak: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch { return null; }
}

/** CPU seconds the whole machine has been busy (all cores, all processes) and its core count. */
export function machineBusySeconds(): number | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = line;
    return (user + nice + system + irq + softirq + steal) / CLK_TCK;
  } catch { return null; }
}

/** Nearest-rank p50/p90/p99 and the maximum of latencies (ms), to 0.1; nulls for no samples. */
export function latencyPercentiles(xs: number[]): { n: number; p50: number | null; p90: number | null; p99: number | null; max: number | null } {
  if (!xs.length) return { n: 0, p50: null, p90: null, p99: null, max: null };
  const s = Float64Array.from(xs).sort();
  const at = (p: number) => Math.round(s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)] * 10) / 10;
  return { n: s.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: Math.round(s[s.length - 1] * 10) / 10 };
}

/** The median of rates (interpolated between the middle two of an even count). */
export function median(xs: ArrayLike<number>): number {
  const s = Float64Array.from(xs as ArrayLike<number>).sort();
  if (!s.length) return NaN;
  const mid = (s.length - 1) / 2;
  return (s[Math.floor(mid)] + s[Math.ceil(mid)]) / 2;
}
