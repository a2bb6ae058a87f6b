import { useEffect, useState } from 'react';

/**
 * The clock, re-read every `intervalMs` while `active`: elapsed times and ETAs count down
 * between reports without any message from the server.
 */
export function useNow(intervalMs = 1_000, active = true): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, active]);
  return now;
}
