import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage } from './support/browser';
import { startHarness, waitFor, type Harness } from './support/harness';
import { screenshot } from './support/screenshots';

const JOBS = 1_000;
const REPORT_EVERY_MS = 100;
const MEASURE_MS = 5_000;

/** Creates in parallel batches, so setting up 1,000 jobs takes a second or two, not twenty. */
async function inBatches<T>(count: number, make: (i: number) => Promise<T>, batch = 50): Promise<T[]> {
  const out: T[] = [];
  for (let start = 0; start < count; start += batch) out.push(...(await Promise.all(Array.from({ length: Math.min(batch, count - start) }, (_, i) => make(start + i)))));
  return out;
}

describe('dashboard: 1,000 live jobs', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(() => harness.close());

  it('renders the list quickly and keeps the frame rate while every job reports ten times a second', async () => {
    const { admin, server, browser } = harness;
    const jobs = await inBatches(JOBS, (i) => admin.createJob({ type: i % 3 === 0 ? 'csv-import' : i % 3 === 1 ? 'video-render' : 'upload', title: `Load job ${i + 1}`, total: 100_000, unit: 'rows' }));
    await inBatches(JOBS, (i) => admin.start(jobs[i]!.id));

    let done = 0;
    let reporting = true;
    const reportLoop = (async () => {
      while (reporting) {
        done += 100;
        const answers = await admin.reportMany(jobs.map((job) => ({ jobId: job.id, done })));
        if (answers.some((answer) => 'error' in answer)) throw new Error(`a report was refused: ${JSON.stringify(answers.find((a) => 'error' in a))}`);
        await new Promise((resolve) => setTimeout(resolve, REPORT_EVERY_MS));
      }
    })();

    const { page, errors } = await openPage(browser);
    await page.goto(`${server.url}/?token=${encodeURIComponent(server.adminKey)}`);
    await page.locator('[data-job-id]').first().waitFor();
    const firstRender = await page.evaluate(() => {
      const paint = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null;
      return { firstRowMs: performance.now(), firstContentfulPaintMs: paint, appMountedMs: performance.getEntriesByName('headway:first-render')[0]?.startTime ?? null };
    });
    await waitFor('all 1,000 jobs in the list', async () => (await page.getByTestId('match-count').textContent())?.includes(`of ${JOBS.toLocaleString()}`));
    const allListedMs = await page.evaluate(() => performance.now());

    const frames = await page.evaluate(async (measureMs) => {
      const longTasks: number[] = [];
      const observer = new PerformanceObserver((list) => list.getEntries().forEach((entry) => longTasks.push(entry.duration)));
      observer.observe({ type: 'longtask', buffered: false });
      const gaps: number[] = [];
      const start = performance.now();
      let last = start;
      await new Promise<void>((resolve) => {
        const tick = (now: number) => {
          gaps.push(now - last);
          last = now;
          if (now - start < measureMs) requestAnimationFrame(tick);
          else resolve();
        };
        requestAnimationFrame(tick);
      });
      observer.disconnect();
      gaps.sort((a, b) => a - b);
      const elapsed = last - start;
      return {
        fps: (gaps.length / elapsed) * 1000,
        p95FrameMs: gaps[Math.floor(gaps.length * 0.95)] ?? 0,
        maxFrameMs: gaps[gaps.length - 1] ?? 0,
        longTasks: longTasks.length,
        longTaskMs: longTasks.reduce((a, b) => a + b, 0),
        rowsInDom: document.querySelectorAll('[data-job-id]').length,
      };
    }, MEASURE_MS);
    const percentShown = Number(await page.locator('[data-job-id] [role="progressbar"]').first().getAttribute('aria-valuenow'));
    reporting = false;
    await reportLoop;
    await screenshot(page, 'jobs-1000-live');

    console.log(
      `dashboard with ${JOBS} live jobs reporting every ${REPORT_EVERY_MS} ms (${(JOBS * 1000) / REPORT_EVERY_MS} updates/s): ` +
        `first contentful paint ${fmt(firstRender.firstContentfulPaintMs)} ms, app mounted ${fmt(firstRender.appMountedMs)} ms, ` +
        `first job row ${fmt(firstRender.firstRowMs)} ms, all ${JOBS} listed ${fmt(allListedMs)} ms; ` +
        `${frames.fps.toFixed(1)} fps (p95 frame ${frames.p95FrameMs.toFixed(1)} ms, worst ${frames.maxFrameMs.toFixed(0)} ms), ` +
        `${frames.longTasks} long tasks (${frames.longTaskMs.toFixed(0)} ms) in ${MEASURE_MS / 1000} s, ${frames.rowsInDom} rows in the DOM`,
    );
    expect(frames.rowsInDom).toBeLessThan(60);
    expect(percentShown).toBeGreaterThan(0);
    expect(frames.fps).toBeGreaterThan(10);
    expect(errors).toEqual([]);
  });
});

function fmt(ms: number | null): string {
  return ms === null ? '?' : ms.toFixed(0);
}
