import { HeadwayError, type Channel } from '@headway/protocol';

/** What `client.watch` follows: one job by id, every visible job, one user's jobs, or a raw channel. */
export type WatchTarget = string | { user: string } | { channel: Channel };

export function channelOf(target: WatchTarget): Channel {
  if (typeof target === 'string') {
    if (target === 'jobs') return 'jobs';
    if (target.length === 0) throw new HeadwayError('VALIDATION_FAILED', 'watch needs a job id, "jobs" or {user: id}; got an empty string');
    return `job:${target}`;
  }
  if ('user' in target) return `user:${target.user}`;
  return target.channel;
}
