import { HeadwayError } from '@headway/protocol';
import { MAX_MUTED_JOBS, type Preferences } from './schema.js';

/**
 * `prefs` with `jobId` added to or removed from `mutedJobs`, or `prefs` itself when that is so
 * already (idempotent: nothing to write). Muting one more job than MAX_MUTED_JOBS is refused.
 */
export function withJobMuted(prefs: Preferences, userId: string, jobId: string, muted: boolean): Preferences {
  if (prefs.mutedJobs.includes(jobId) === muted) return prefs;
  if (!muted) return { ...prefs, mutedJobs: prefs.mutedJobs.filter((id) => id !== jobId) };
  if (prefs.mutedJobs.length >= MAX_MUTED_JOBS) {
    throw new HeadwayError(
      'CONFLICT',
      `user ${userId} already mutes ${prefs.mutedJobs.length} jobs, the most allowed (${MAX_MUTED_JOBS}); unmute one (DELETE /v1/users/${userId}/muted-jobs/<jobId>) before muting job ${jobId}`,
    );
  }
  return { ...prefs, mutedJobs: [...prefs.mutedJobs, jobId] };
}
