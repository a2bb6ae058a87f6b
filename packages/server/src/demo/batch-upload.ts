import type { JobContext } from '../runtime/runtime.js';
import { jitter, pace } from './pace.js';

export const UPLOAD_FILES = 300;

/** One file of a batch upload; a few files are corrupt and fail for good. */
export async function uploadFile(ctx: JobContext): Promise<unknown> {
  const sizeMb = Number(ctx.job.metadata.sizeMb ?? 10);
  const chunks = Math.max(2, Math.round(sizeMb / 5));
  for (let chunk = 1; chunk <= chunks; chunk++) {
    await pace(jitter(120), ctx.signal);
    if (ctx.job.metadata.corrupt === true && chunk === Math.ceil(chunks / 2)) {
      throw Object.assign(new Error(`checksum mismatch in ${ctx.job.title} at chunk ${chunk}`), { code: 'CHECKSUM_MISMATCH' });
    }
    ctx.report({ done: Math.round((chunk / chunks) * sizeMb), total: sizeMb, unit: 'MB' });
    await ctx.checkpoint();
  }
  return { url: `s3://demo-bucket/${ctx.job.title}` };
}

export function uploadChildren() {
  return Array.from({ length: UPLOAD_FILES }, (_, index) => ({
    type: 'upload.file',
    title: `IMG_${String(4000 + index).padStart(5, '0')}.raw`,
    maxAttempts: 1,
    metadata: { sizeMb: 5 + ((index * 37) % 60), corrupt: index % 23 === 7 },
  }));
}
