import type { Job, JobStatus } from '@headway/client';
import type { JobsFilter } from '@headway/react';

/** The list filters exactly as they appear in the URL (`#/?status=running&q=csv`), so views can be shared. */
export interface JobFilters {
  /** '', a status, 'active' (queued, running, paused) or 'finished'. */
  status: string;
  type: string;
  owner: string;
  tag: string;
  q: string;
  /** Created on or after this day / on or before this day, `YYYY-MM-DD` in local time. */
  from: string;
  to: string;
  sort: NonNullable<JobsFilter['sort']>;
  page: number;
}

export const STATUS_CHOICES: Array<{ value: string; label: string; statuses: JobStatus[] | null }> = [
  { value: '', label: 'Any status', statuses: null },
  { value: 'active', label: 'Active', statuses: ['queued', 'running', 'paused'] },
  { value: 'running', label: 'Running', statuses: ['running'] },
  { value: 'queued', label: 'Queued', statuses: ['queued'] },
  { value: 'paused', label: 'Paused', statuses: ['paused'] },
  { value: 'finished', label: 'Finished', statuses: ['completed', 'failed', 'cancelled'] },
  { value: 'completed', label: 'Completed', statuses: ['completed'] },
  { value: 'failed', label: 'Failed', statuses: ['failed'] },
  { value: 'cancelled', label: 'Cancelled', statuses: ['cancelled'] },
];

export const SORT_CHOICES: Array<{ value: JobFilters['sort']; label: string }> = [
  { value: '-createdAt', label: 'Newest first' },
  { value: 'createdAt', label: 'Oldest first' },
  { value: '-updatedAt', label: 'Recently updated' },
  { value: 'updatedAt', label: 'Least recently updated' },
];

const TEXT_KEYS = ['status', 'type', 'owner', 'tag', 'q', 'from', 'to'] as const;

export function filtersFromParams(params: URLSearchParams): JobFilters {
  const sort = params.get('sort');
  const page = Number(params.get('page') ?? '1');
  const text = Object.fromEntries(TEXT_KEYS.map((key) => [key, params.get(key) ?? ''])) as Record<(typeof TEXT_KEYS)[number], string>;
  return {
    ...text,
    status: STATUS_CHOICES.some((choice) => choice.value === text.status) ? text.status : '',
    sort: SORT_CHOICES.some((choice) => choice.value === sort) ? (sort as JobFilters['sort']) : '-createdAt',
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

/** Only what differs from the defaults, so shared URLs stay short. */
export function paramsOfFilters(filters: JobFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of TEXT_KEYS) if (filters[key].trim()) params.set(key, filters[key].trim());
  if (filters.sort !== '-createdAt') params.set('sort', filters.sort);
  if (filters.page > 1) params.set('page', String(filters.page));
  return params;
}

export function statusesOf(filters: JobFilters): JobStatus[] | null {
  return STATUS_CHOICES.find((choice) => choice.value === filters.status)?.statuses ?? null;
}

/** The part of the filters the live hook matches; the date range is applied by `createdWithin`. */
export function liveFilterOf(filters: JobFilters, user: string | undefined): JobsFilter {
  const statuses = statusesOf(filters);
  const filter: JobsFilter = { parentId: null, sort: filters.sort };
  if (user !== undefined) filter.user = user;
  if (statuses) filter.status = statuses;
  if (filters.type) filter.type = filters.type;
  if (filters.owner) filter.owner = filters.owner;
  if (filters.tag) filter.tag = filters.tag;
  if (filters.q.trim()) filter.q = filters.q.trim();
  return filter;
}

/** `[from, to]` in epoch ms for the chosen days (local time), either end open. */
export function createdRange(filters: JobFilters): { from?: number; to?: number } {
  const range: { from?: number; to?: number } = {};
  const from = dayStart(filters.from, 0);
  const to = dayStart(filters.to, 1);
  if (from !== null) range.from = from;
  // The end of the chosen day is the start of the next one (days are not always 24 h long).
  if (to !== null) range.to = to - 1;
  return range;
}

export function createdWithin(jobs: Job[], range: { from?: number; to?: number }): Job[] {
  if (range.from === undefined && range.to === undefined) return jobs;
  return jobs.filter((job) => (range.from === undefined || job.createdAt >= range.from) && (range.to === undefined || job.createdAt <= range.to));
}

function dayStart(day: string, daysLater: number): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + daysLater).getTime();
}
