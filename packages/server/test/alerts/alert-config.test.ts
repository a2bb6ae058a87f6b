import { HeadwayError } from '@headway/protocol';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';

describe('alert settings', () => {
  it('default to 30 s checks, 10 min stalls, 1,000 queued, 5 finished at 50% failed in 15 min, 3× p90, no operators', () => {
    expect(loadConfig({}, {}).alerts).toEqual({
      checkIntervalMs: 30_000,
      recipients: [],
      stalledAfterMs: 600_000,
      queueDepth: 1_000,
      windowMs: 900_000,
      minFinished: 5,
      failureRate: 0.5,
      slowFactor: 3,
    });
  });

  it('are read from HEADWAY_ALERTS_* variables named after the schema', () => {
    const config = loadConfig({}, { HEADWAY_ALERTS_STALLED_AFTER_MS: '120000', HEADWAY_ALERTS_RECIPIENTS: 'ops, oncall', HEADWAY_ALERTS_FAILURE_RATE: '0.25' });
    expect(config.alerts).toMatchObject({ stalledAfterMs: 120_000, recipients: ['ops', 'oncall'], failureRate: 0.25, queueDepth: 1_000 });
  });

  it('a bad value fails at boot, naming the variable', () => {
    expect(() => loadConfig({}, { HEADWAY_ALERTS_FAILURE_RATE: '2' })).toThrow(HeadwayError);
    expect(() => loadConfig({}, { HEADWAY_ALERTS_FAILURE_RATE: '2' })).toThrow(/alerts\.failureRate.*HEADWAY_ALERTS_FAILURE_RATE/);
  });
});
