import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FinishedTextIndexer } from '../../src/service/finished-text-indexer.js';
import type { Store } from '../../src/store/store.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('finished-text indexer', () => {
  it('logs a failed pass and tries again at the next interval; stop waits for the pass under way', async () => {
    vi.useFakeTimers();
    const lines: Array<{ msg: string; level: number }> = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const indexFinishedTexts = vi.fn<(limit: number) => Promise<number>>().mockRejectedValueOnce(new Error('database is locked')).mockResolvedValue(3);
    const indexer = new FinishedTextIndexer({ jobs: { indexFinishedTexts } } as unknown as Store, logger);
    indexer.start();

    await vi.advanceTimersByTimeAsync(2_000);
    expect(indexFinishedTexts).toHaveBeenCalledTimes(1);
    expect(lines).toEqual([expect.objectContaining({ level: 50, msg: 'search-index:indexing finished jobs failed; will retry' })]);

    await vi.advanceTimersByTimeAsync(2_000);
    expect(indexFinishedTexts).toHaveBeenCalledTimes(2);
    expect(indexFinishedTexts).toHaveBeenLastCalledWith(500);

    let release!: (count: number) => void;
    indexFinishedTexts.mockImplementationOnce(() => new Promise<number>((resolve) => (release = resolve)));
    await vi.advanceTimersByTimeAsync(2_000);
    let stopped = false;
    const stopping = indexer.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    release(0);
    await stopping;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(indexFinishedTexts).toHaveBeenCalledTimes(3); // no pass after stop
  });
});
