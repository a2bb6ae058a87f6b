import type { Job, JobStatus } from '@headway/client';

/** Which jobs `useJobs` shows; matched locally against the live channel. */
export interface JobsFilter {
  /** Follow one user's channel instead of every visible job. */
  user?: string;
  status?: JobStatus | JobStatus[];
  type?: string;
  owner?: string;
  tag?: string;
  /** `null` for top-level jobs only. */
  parentId?: string | null;
  /** Case-insensitive text in title, message or error. */
  q?: string;
  sort?: 'createdAt' | '-createdAt' | 'updatedAt' | '-updatedAt';
  limit?: number;
}

export function selectJobs(jobs: readonly Job[], filter: JobsFilter): Job[] {
  const statuses = filter.status === undefined ? null : new Set(Array.isArray(filter.status) ? filter.status : [filter.status]);
  const text = filter.q?.toLowerCase();
  const matches = jobs.filter(
    (job) =>
      (!statuses || statuses.has(job.status)) &&
      (filter.type === undefined || job.type === filter.type) &&
      (filter.owner === undefined || job.owner === filter.owner) &&
      (filter.tag === undefined || job.tags.includes(filter.tag)) &&
      (filter.parentId === undefined || job.parentId === filter.parentId) &&
      (!text || [job.title, job.message, job.error?.message].some((field) => field?.toLowerCase().includes(text))),
  );
  const sort = filter.sort ?? '-createdAt';
  const field = sort.replace('-', '') as 'createdAt' | 'updatedAt';
  const direction = sort.startsWith('-') ? -1 : 1;
  matches.sort((a, b) => direction * (a[field] - b[field]) || (a.id < b.id ? -direction : direction));
  return filter.limit === undefined ? matches : matches.slice(0, filter.limit);
}
