import type { JobContext } from '../runtime/runtime.js';
import { jitter, pace } from './pace.js';

export const VIDEO_STEPS = [
  { name: 'Fetch shots', weight: 1 },
  { name: 'Validate EDL', weight: 0.5 },
  { name: 'Conform timeline', weight: 1 },
  { name: 'Decode proxies', weight: 2 },
  { name: 'Color grade', weight: 3 },
  { name: 'Stabilize', weight: 2 },
  { name: 'Render titles', weight: 1 },
  { name: 'Mix audio', weight: 1.5 },
  { name: 'Encode H.264', weight: 4 },
  { name: 'Encode HEVC', weight: 3 },
  { name: 'Package HLS', weight: 1 },
  { name: 'Publish', weight: 0.5 },
];

const SHOTS = 48;

/** A 12-step video assembly whose steps run at different speeds; resumes at the saved step. */
export async function videoAssembly(ctx: JobContext<{ step: number }>): Promise<unknown> {
  for (let index = ctx.saved?.step ?? 0; index < VIDEO_STEPS.length; index++) {
    const step = VIDEO_STEPS[index]!;
    ctx.step(step.name, `${step.name}…`);
    for (let shot = 1; shot <= SHOTS; shot += 4) {
      await pace(jitter(180 * step.weight), ctx.signal);
      ctx.report({ done: shot, total: SHOTS, unit: 'shots' });
    }
    await ctx.checkpoint({ step: index + 1 });
  }
  return { output: 'assembly.mp4', sizeMb: 812 };
}
