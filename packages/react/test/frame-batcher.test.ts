import { describe, expect, it } from 'vitest';
import { FrameBatcher } from '../src/frame-batcher.js';

describe('FrameBatcher', () => {
  it('many requests in one frame flush once; the next frame flushes again', () => {
    const frames: Array<() => void> = [];
    let flushes = 0;
    const batcher = new FrameBatcher(() => flushes++, (callback) => frames.push(callback));
    for (let i = 0; i < 1_000; i++) batcher.request();
    expect(frames).toHaveLength(1);
    frames.shift()!();
    expect(flushes).toBe(1);
    batcher.request();
    batcher.request();
    expect(frames).toHaveLength(1);
    frames.shift()!();
    expect(flushes).toBe(2);
  });
});
