import { buildJobTree } from '../../src/service/jobs/new-job.js';
import type { JobRecord } from '../../src/model/job-record.js';

/** A fresh job record (as the service would create it) with fields overridden. */
export function jobWith(overrides: Partial<JobRecord> = {}): JobRecord {
  const [job] = buildJobTree({ type: 'test' }, null, 1_000);
  return { ...job!, id: 'job-1', ...overrides };
}
