// The cluster's settings (claims, start-up, expiry), each from an environment variable, checked with a message naming it.

export interface ClusterSettings {
  /** milliseconds a match's claim lasts without renewal: how long a paused holder keeps a match from moving */
  claimLeaseMs: number;
  /** seconds start-up waits for the store and Redis before giving up */
  startupWaitSeconds: number;
  /** hours after which a lobby nobody joined closes */
  lobbyExpiryHours: number;
  /** days after which an unfinished match nobody changed closes */
  idleExpiryDays: number;
  /** minutes between two expiry sweeps */
  expiryCheckMinutes: number;
}

export const DEFAULT_CLUSTER_SETTINGS: ClusterSettings = {
  claimLeaseMs: 5000,
  startupWaitSeconds: 60,
  lobbyExpiryHours: 24,
  idleExpiryDays: 14,
  expiryCheckMinutes: 10,
};

export const CLUSTER_VARIABLES: Record<keyof ClusterSettings, { env: string; min: number; max: number; what: string }> = {
  claimLeaseMs: { env: 'CLAIM_LEASE_MS', min: 500, max: 600_000, what: 'milliseconds a match claim lasts without renewal' },
  startupWaitSeconds: { env: 'STARTUP_WAIT_SECONDS', min: 0, max: 3600, what: 'seconds start-up waits for the store and Redis' },
  lobbyExpiryHours: { env: 'LOBBY_EXPIRY_HOURS', min: 0.001, max: 24 * 365, what: 'hours after which a lobby nobody joined closes' },
  idleExpiryDays: { env: 'IDLE_EXPIRY_DAYS', min: 0.0001, max: 3650, what: 'days after which an unfinished match nobody changed closes' },
  expiryCheckMinutes: { env: 'EXPIRY_CHECK_MINUTES', min: 0.01, max: 24 * 60, what: 'minutes between two expiry sweeps' },
};

/** The settings of this environment, defaults for the rest; throws naming the variable on a bad value. */
export function clusterSettingsFromEnv(env: Record<string, string | undefined> = process.env): ClusterSettings {
  const out: ClusterSettings = { ...DEFAULT_CLUSTER_SETTINGS };
  for (const [key, { env: name, min, max, what }] of Object.entries(CLUSTER_VARIABLES) as [keyof ClusterSettings, (typeof CLUSTER_VARIABLES)[keyof ClusterSettings]][]) {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') continue;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || n > max) {
      throw new Error(`${name} (${what}) must be a number from ${min} to ${max}, got "${raw}" (default ${DEFAULT_CLUSTER_SETTINGS[key]})`);
    }
    out[key] = n;
  }
  return out;
}

/** Refuses an INTERNAL_TOKEN too short to be a secret. */
export function checkInternalToken(token: string, from: string): void {
  if (token.length < 32) throw new Error(`${from} must be at least 32 characters (a long random string shared by every process; e.g. \`openssl rand -hex 24\`), got ${token.length}`);
}
