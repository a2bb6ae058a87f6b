import { inject } from 'vitest';

// Declared here, beside `inject`, so every package whose tests reach this file type-checks it.
declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string | null;
    redisUrl: string | null;
  }
}

/**
 * URLs of the PostgreSQL and Redis the global setup started. Off CI a missing server skips
 * the suites that need it; under CI=true a missing server is a failure, never a skip.
 */
export function serviceUrl(name: 'pgUrl' | 'redisUrl'): string | null {
  const url = inject(name);
  if (!url && process.env.CI === 'true') throw new Error(`${name} is not available under CI: .ci/run must install and start it`);
  return url;
}
