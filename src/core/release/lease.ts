// The release lock's decisions (SPEC section 7), given the Lease as read and the time: pure, so
// that takeover of an expired lease is tested without waiting.

export const LEASE_SECONDS = 15;
export const RENEW_EVERY_MS = 5_000;

export const leaseName = (release: string) => `slipway.lock.${release}`;

export interface LeaseSpec {
  holderIdentity?: string | null;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
}

export type LeaseDecision = { action: 'take'; why: 'free' | 'expired' | 'ours' } | { action: 'wait'; holder: string; expiresInMs: number };

export function decideLease(spec: LeaseSpec | undefined, holder: string, now: number): LeaseDecision {
  const current = spec?.holderIdentity;
  if (!current) return { action: 'take', why: 'free' };
  if (current === holder) return { action: 'take', why: 'ours' };
  const renewed = Date.parse(spec?.renewTime ?? spec?.acquireTime ?? '');
  const expires = (Number.isNaN(renewed) ? 0 : renewed) + (spec?.leaseDurationSeconds ?? LEASE_SECONDS) * 1000;
  if (expires <= now) return { action: 'take', why: 'expired' };
  return { action: 'wait', holder: current, expiresInMs: expires - now };
}

/** MicroTime as the API server writes it: RFC 3339 with microseconds. */
export const microTime = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

export function leaseSpec(holder: string, now: number, acquired?: string): LeaseSpec {
  return { holderIdentity: holder, leaseDurationSeconds: LEASE_SECONDS, acquireTime: acquired ?? microTime(now), renewTime: microTime(now) };
}
