// The arena's report: each agent's mean score per role with a 95% confidence interval, the bots' beside them, the ending mix.

/** One seat an agent program held in one match. */
export interface SeatResult {
  agent: string;
  role: string;
  /** the role's score at the end (0-100), null when the match did not end */
  score: number | null;
  /** the record marks this role's seat as an agent's (people[].agent) */
  heldByAgent: boolean;
  /** quarters whose order this agent made (the record's playedBy "agent"), and those the referee filled in */
  agentQuarters: number;
  refereeQuarters: number;
  quarters: number;
  exitCode: number | null;
  /** from the agent's JSON summary line, when it printed one */
  calls: number | null;
  /** why this seat does not count: it never joined, exited early, or ran out of time */
  failure: string | null;
}

export interface MatchResult {
  match: number;
  code: string;
  seed: number | null;
  ending: string | null;
  endingTitle: string | null;
  seconds: number;
  seats: SeatResult[];
  /** the roles bots played, with their personality and score */
  bots: { role: string; personality: string; score: number | null }[];
  failure: string | null;
}

export interface Interval {
  n: number;
  mean: number | null;
  low: number | null;
  high: number | null;
  sd: number | null;
}
export interface RoleRow extends Interval {
  role: string;
}
export interface ArenaReport {
  rules: string;
  server: string;
  matches: number;
  finished: number;
  elapsedSeconds: number;
  meanMatchSeconds: number | null;
  agents: {
    agent: string;
    program: string;
    overall: Interval;
    byRole: RoleRow[];
    failures: number;
    meanCalls: number | null;
    agentQuarterShare: number | null;
  }[];
  bots: { personality: string; byRole: RoleRow[] }[];
  endings: { id: string; title: string; count: number; share: number }[];
  failures: { match: number; code: string; agent?: string; role?: string; failure: string }[];
  results: MatchResult[];
}

// Student's t at 0.975 for 1..30 degrees of freedom; beyond, a Cornish-Fisher expansion around the normal's 1.96
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069,
  2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** The two-sided 95% quantile of Student's t with `df` degrees of freedom. */
export function t975(df: number): number {
  if (df < 1) return Number.NaN;
  if (df <= 30) return T975[Math.floor(df) - 1];
  const z = 1.959964;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df * df);
}

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/** Mean and 95% confidence interval of the mean (t-based; no interval from a single value). */
export function interval(values: readonly number[]): Interval {
  const n = values.length;
  if (!n) return { n, mean: null, low: null, high: null, sd: null };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { n, mean: round(mean), low: null, high: null, sd: null };
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  const half = (t975(n - 1) * sd) / Math.sqrt(n);
  return { n, mean: round(mean), low: round(mean - half), high: round(mean + half), sd: round(sd) };
}

/** The report of a run: only seats that played to the end count towards an agent's scores; the rest are failures. */
export function arenaReport(input: {
  rules: string;
  server: string;
  roles: string[];
  agents: { agent: string; program: string }[];
  results: MatchResult[];
  elapsedSeconds: number;
}): ArenaReport {
  const { results, roles } = input;
  const finished = results.filter((r) => r.ending !== null);
  const agents = input.agents.map(({ agent, program }) => {
    const seats = results.flatMap((r) => r.seats.filter((s) => s.agent === agent));
    const counted = seats.filter((s) => s.failure === null && s.score !== null);
    const calls = counted.map((s) => s.calls).filter((c): c is number => c !== null);
    const quarters = counted.reduce((a, s) => a + s.quarters, 0);
    return {
      agent,
      program,
      overall: interval(counted.map((s) => s.score!)),
      byRole: roles.map((role) => ({ role, ...interval(counted.filter((s) => s.role === role).map((s) => s.score!)) })).filter((r) => r.n > 0),
      failures: seats.length - counted.length,
      meanCalls: calls.length ? round(calls.reduce((a, b) => a + b, 0) / calls.length, 1) : null,
      agentQuarterShare: quarters ? round(counted.reduce((a, s) => a + s.agentQuarters, 0) / quarters, 3) : null,
    };
  });
  const personalities = [...new Set(results.flatMap((r) => r.bots.map((b) => b.personality)))];
  const bots = personalities.map((personality) => ({
    personality,
    byRole: roles
      .map((role) => ({
        role,
        ...interval(finished.flatMap((r) => r.bots.filter((b) => b.role === role && b.personality === personality && b.score !== null).map((b) => b.score!))),
      }))
      .filter((r) => r.n > 0),
  }));
  const endingCount = new Map<string, { title: string; count: number }>();
  for (const r of finished) {
    const e = endingCount.get(r.ending!) ?? { title: r.endingTitle ?? r.ending!, count: 0 };
    e.count++;
    endingCount.set(r.ending!, e);
  }
  const endings = [...endingCount]
    .map(([id, e]) => ({ id, title: e.title, count: e.count, share: round(e.count / Math.max(1, finished.length), 3) }))
    .sort((a, b) => b.count - a.count);
  const failures = results.flatMap((r) => [
    ...(r.failure ? [{ match: r.match, code: r.code, failure: r.failure }] : []),
    ...r.seats.filter((s) => s.failure).map((s) => ({ match: r.match, code: r.code, agent: s.agent, role: s.role, failure: s.failure! })),
  ]);
  const secs = results.map((r) => r.seconds);
  return {
    rules: input.rules,
    server: input.server,
    matches: results.length,
    finished: finished.length,
    elapsedSeconds: round(input.elapsedSeconds, 1),
    meanMatchSeconds: secs.length ? round(secs.reduce((a, b) => a + b, 0) / secs.length, 2) : null,
    agents,
    bots,
    endings,
    failures,
    results,
  };
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);
const num = (x: number | null, d = 1) => (x === null ? '-' : x.toFixed(d));
const ci = (r: Interval) => (r.low === null ? '-' : `${num(r.low)} to ${num(r.high)}`);

/** The report as the table the arena prints. */
export function formatArena(report: ArenaReport): string {
  const lines = [
    `Arena: ${report.matches} matches (${report.finished} ended) on ${report.rules}, ${report.server}, ${report.elapsedSeconds} s (mean ${num(report.meanMatchSeconds, 1)} s a match)`,
    '',
  ];
  const width = Math.max(12, ...report.agents.map((a) => a.agent.length), ...report.bots.map((b) => b.personality.length + 6)) + 2;
  lines.push(`${pad('seat', width)}${pad('role', 8)}${lpad('n', 4)}${lpad('mean', 8)}  95% CI`);
  const row = (who: string, r: RoleRow | (Interval & { role: string })) =>
    lines.push(`${pad(who, width)}${pad(r.role, 8)}${lpad(String(r.n), 4)}${lpad(num(r.mean), 8)}  ${ci(r)}`);
  for (const a of report.agents) {
    for (const r of a.byRole) row(a.agent, r);
    row(a.agent, { role: 'all', ...a.overall });
    const extra = [
      a.failures ? `${a.failures} failed seat(s)` : '',
      a.meanCalls !== null ? `${a.meanCalls} calls a match` : '',
      a.agentQuarterShare !== null ? `${Math.round(a.agentQuarterShare * 100)}% of its quarters ordered by itself` : '',
    ].filter(Boolean);
    if (extra.length) lines.push(`${pad('', width)}(${extra.join(', ')})`);
  }
  for (const b of report.bots) for (const r of b.byRole) row(`bot ${b.personality}`, r);
  lines.push('', `Endings: ${report.endings.map((e) => `${e.title} ${Math.round(e.share * 100)}% (${e.count})`).join(', ') || 'none'}`);
  if (report.failures.length) {
    lines.push('', `Failures (${report.failures.length}):`);
    for (const f of report.failures.slice(0, 10)) lines.push(`  match ${f.match} ${f.code}${f.agent ? ` ${f.agent} as ${f.role}` : ''}: ${f.failure}`);
    if (report.failures.length > 10) lines.push(`  ... and ${report.failures.length - 10} more (--json lists them all)`);
  }
  return lines.join('\n') + '\n';
}
