import { inject } from 'vitest';

/**
 * URLs of the PostgreSQL and Redis the global setup started. Off CI a missing server skips
 * the suites that need it; under CI=true a missing server is a failure, never a skip.
 */
export function serviceUrl(name: 'pgUrl' | 'redisUrl'): string | null {
  const url = inject(name);
  if (!url && process.env.CI === 'true') throw new Error(`${name} is not available under CI: .ci/run must install and start it`);
  return url;
}
