import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { AlertInput, Notifier } from '../notify/notifier.js';
import type { Store } from '../store/store.js';
import { Episodes } from './episodes.js';
import { slowAlert, stalledAlert } from './job-conditions.js';
import { runningJobs } from './running-jobs.js';
import { deepQueues, failingAlert, failingTypes, queueDeepAlert } from './type-conditions.js';

export interface AlertMonitorDeps {
  store: Store;
  notifier: Pick<Notifier, 'raise'>;
  settings: Config['alerts'];
  logger: Logger;
  now: () => number;
  /** Completed work durations of a type's recent jobs (the ETA prior, cached). */
  priorDurations: (type: string) => Promise<number[]>;
}

export interface AlertCheck {
  /** Ids of the alerts raised by this check (ids raised before by this node are not raised again). */
  raised: string[];
  runningJobs: number;
  durationMs: number;
}

/**
 * Looks for alert conditions every checkIntervalMs and raises them through the notifier. Every
 * node may run one: the ids are derived from shared data (the job row, an episode numbered in
 * the store), and the outbox's UNIQUE key makes a second raise of an id notify nobody.
 */
export class AlertMonitor {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<AlertCheck> | null = null;
  private readonly episodes: Episodes;
  /** Ids this node raised that still hold: not raised again at every check (the outbox would ignore them, at the cost of a write). */
  private raisedIds = new Set<string>();

  constructor(private readonly deps: AlertMonitorDeps) {
    this.episodes = new Episodes(deps.store, deps.now);
  }

  start(): void {
    this.schedule();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** One round of checks now; joins the round in progress, if any. */
  check(): Promise<AlertCheck> {
    this.running ??= this.checkAll().finally(() => (this.running = null));
    return this.running;
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.check()
        .catch((err: unknown) => this.deps.logger.error({ err }, 'alerts:check failed; conditions are looked for again at the next interval'))
        .finally(() => {
          if (this.timer) this.schedule();
        });
    }, this.deps.settings.checkIntervalMs);
    this.timer.unref?.();
  }

  private async checkAll(): Promise<AlertCheck> {
    const started = performance.now();
    const found: AlertInput[] = [];
    const running = await this.checkRunningJobs(found);
    await this.checkQueues(found);
    await this.checkFailures(found);
    const raised: string[] = [];
    const stillHolding = new Set<string>();
    for (const alert of found) {
      stillHolding.add(alert.id);
      if (this.raisedIds.has(alert.id)) continue;
      this.deps.notifier.raise(alert);
      raised.push(alert.id);
    }
    this.raisedIds = stillHolding;
    return { raised, runningJobs: running, durationMs: performance.now() - started };
  }

  private async checkRunningJobs(found: AlertInput[]): Promise<number> {
    const { store, settings, now, priorDurations } = this.deps;
    const at = now();
    let count = 0;
    for await (const job of runningJobs(store)) {
      count++;
      const stalled = stalledAlert(job, at, settings);
      if (stalled) found.push(stalled);
      // A stalled job is not also reported slow: one alert says what is wrong.
      else {
        const slow = slowAlert(job, at, await priorDurations(job.type), settings);
        if (slow) found.push(slow);
      }
    }
    return count;
  }

  private async checkQueues(found: AlertInput[]): Promise<void> {
    const deep = deepQueues(await this.deps.store.analytics.activeCounts(), this.deps.settings);
    const episodes = await this.episodes.update('queue_deep', new Set(deep.keys()));
    for (const [type, queued] of deep) found.push(queueDeepAlert(type, queued, episodes.get(type)!, this.deps.settings));
  }

  private async checkFailures(found: AlertInput[]): Promise<void> {
    const { store, settings, now } = this.deps;
    const at = now();
    const failing = failingTypes(await store.analytics.typeOutcomes({ from: at - settings.windowMs, to: at + 1 }), settings);
    const episodes = await this.episodes.update('failing', new Set(failing.keys()));
    for (const [type, counts] of failing) found.push(failingAlert(type, counts, episodes.get(type)!, settings));
  }
}
