import { describe, expect, it } from 'vitest';
import { toJobView } from '../../src/model/job-record.js';
import { jobWith } from './job.js';

const INTERNAL = ['leaseOwner', 'leaseExpiresAt', 'pausedAt', 'milestones', 'activeAt'];

describe('the job clients see', () => {
  it('has every field of the record but the internal ones, with the same values', () => {
    const record = jobWith({ leaseOwner: 'node-1', leaseExpiresAt: 5_000, pausedAt: 4_000, milestones: [25], activeAt: 3_000, message: 'row 40', seq: 7 });
    const view = toJobView(record);
    expect(Object.keys(view).sort()).toEqual(Object.keys(record).filter((key) => !INTERNAL.includes(key)).sort());
    for (const [key, value] of Object.entries(view)) expect(value).toBe(record[key as keyof typeof record]);
  });
});
