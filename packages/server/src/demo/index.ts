import type { Headway } from '../headway.js';
import { SYSTEM } from '../service/actor.js';
import { uploadChildren, uploadFile } from './batch-upload.js';
import { csvImport } from './csv-import.js';
import { VIDEO_STEPS, videoAssembly } from './video-assembly.js';

const KEEP_FLOWING_MS = 15_000;

/** Registers the demo handlers and keeps one of each demo job flowing. Returns a stop function. */
export function startDemo(headway: Headway): () => void {
  const { runtime, jobs, logger } = headway;
  runtime.register('video.assemble', videoAssembly, { concurrency: 2 });
  runtime.register('csv.import', csvImport, { concurrency: 2 });
  runtime.register('upload.file', uploadFile, { concurrency: 8 });

  const kinds = [
    { type: 'video.assemble', create: () => jobs.create({ type: 'video.assemble', title: 'Assemble "Harbour Lights" rough cut', owner: 'alice', steps: VIDEO_STEPS, tags: ['demo', 'video'] }, SYSTEM) },
    { type: 'csv.import', create: () => jobs.create({ type: 'csv.import', title: 'Import customers-2026-11.csv', owner: 'bob', unit: 'rows', tags: ['demo', 'csv'] }, SYSTEM) },
    { type: 'upload.batch', create: () => jobs.create({ type: 'upload.batch', title: 'Upload 300 raw photos', owner: 'alice', unit: 'files', tags: ['demo', 'upload'], children: uploadChildren() }, SYSTEM) },
  ];

  const topUp = async () => {
    for (const kind of kinds) {
      const active = await jobs.list({ type: kind.type, status: 'queued,running,paused', limit: 1 }, SYSTEM);
      if (active.items.length === 0) await kind.create();
    }
  };
  const run = () => void topUp().catch((err: unknown) => logger.error({ err }, 'demo:top-up failed'));
  run();
  const timer = setInterval(run, KEEP_FLOWING_MS);
  timer.unref();
  return () => clearInterval(timer);
}
