import { describe, expect, it } from 'vitest';
import type { Job } from '@headway/client';
import { selectJobs } from '../src/jobs-filter.js';

const job = (id: string, fields: Partial<Job>): Job => ({ id, status: 'running', type: 'import', tags: [], owner: null, parentId: null, title: null, message: null, error: null, createdAt: 0, updatedAt: 0, ...fields }) as Job;

describe('selectJobs (useJobs filter)', () => {
  const jobs = [
    job('a', { status: 'running', type: 'import', createdAt: 1, tags: ['nightly'], title: 'Import customers' }),
    job('b', { status: 'failed', type: 'export', createdAt: 3, owner: 'ann', error: { message: 'Disk full', code: null, attempt: 1, at: 0 } }),
    job('c', { status: 'queued', type: 'import', createdAt: 2, parentId: 'a' }),
  ];

  it('matches status, type, tag, owner, parent and text, newest first by default', () => {
    expect(selectJobs(jobs, {}).map((j) => j.id)).toEqual(['b', 'c', 'a']);
    expect(selectJobs(jobs, { status: ['running', 'queued'] }).map((j) => j.id)).toEqual(['c', 'a']);
    expect(selectJobs(jobs, { type: 'import', parentId: null }).map((j) => j.id)).toEqual(['a']);
    expect(selectJobs(jobs, { tag: 'nightly' }).map((j) => j.id)).toEqual(['a']);
    expect(selectJobs(jobs, { owner: 'ann' }).map((j) => j.id)).toEqual(['b']);
    expect(selectJobs(jobs, { q: 'disk' }).map((j) => j.id)).toEqual(['b']);
    expect(selectJobs(jobs, { q: 'CUSTOMERS' }).map((j) => j.id)).toEqual(['a']);
  });

  it('sorts ascending when asked and applies the limit after sorting', () => {
    expect(selectJobs(jobs, { sort: 'createdAt', limit: 2 }).map((j) => j.id)).toEqual(['a', 'c']);
  });
});
