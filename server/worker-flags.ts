// The flags a thread of this process starts with: the process's own, less what Node refuses in a worker.
// An operator who runs the server with V8's heap flags (`node --max-old-space-size=4096 …`) would otherwise get no
// match store and no rule checks: a Worker given them throws, and a worker's heap is set by resourceLimits anyway.

/** Flags a worker accepts and may need (module loading, warnings); every other flag of the process stays with it. */
const KEPT = /^--(import|require|loader|experimental-|no-experimental-|conditions|enable-source-maps|no-warnings|disable-warning|trace-warnings|trace-uncaught|no-deprecation|throw-deprecation|pending-deprecation)/;

export function workerExecArgv(execArgv: readonly string[] = process.execArgv): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const flag = execArgv[i];
    if (!KEPT.test(flag)) continue;
    out.push(flag);
    // `--import x` (the value as the next argument) goes along with its flag
    if (!flag.includes('=') && /^--(import|require|loader|conditions)$/.test(flag) && i + 1 < execArgv.length) out.push(execArgv[++i]);
  }
  return out;
}
