import { HeadwayError, type Channel } from '@headway/protocol';
import type { Headway } from '../../headway.js';
import { canReadUserNotifications } from '../../notify/access.js';
import { canSeeOwner, hasScope, type Actor } from '../../service/actor.js';
import { unstorableTextMessage } from '../text-guard.js';

export interface ChannelAccess {
  channel: Channel;
  /** Only jobs of one owner (user channels, or `jobs` for a user token). */
  owner: string | undefined;
  jobId: string | undefined;
  /** Whether a job's messages belong on this channel for this actor. */
  includes(job: { id: string; owner: string | null }): boolean;
  /**
   * Whether the user channel's in-app notifications go to this actor: only to those who may read
   * them over REST (the user's own token, the admin key, a key with notifications:admin). A key
   * with only jobs:read still follows the channel's job updates.
   */
  carriesNotifications: boolean;
}

const CHANNEL = /^(?:job:(.{1,64})|user:(.{1,200})|jobs)$/;

/**
 * Checks, on every (re)subscribe, that the actor may follow the channel. A user token may
 * follow its own jobs and its own user channel; on `jobs` it gets only its own jobs (the same
 * view as `GET /v1/jobs` gives it), so one dashboard works for users and admins alike.
 */
export async function authorizeChannel(headway: Headway, actor: Actor, raw: unknown): Promise<ChannelAccess> {
  const match = typeof raw === 'string' ? CHANNEL.exec(raw) : null;
  if (!match) throw new HeadwayError('VALIDATION_FAILED', `${raw === undefined ? 'no channel given' : `unknown channel ${shown(raw)}`}; use "job:<id>", "user:<id>" or "jobs"`);
  // A NUL in the id would reach a SQL parameter (PostgreSQL refuses it: a 500 instead of a 400).
  const unstorable = unstorableTextMessage(raw as string, `channel ${JSON.stringify(raw)}`);
  if (unstorable) throw new HeadwayError('VALIDATION_FAILED', unstorable);
  if (!hasScope(actor, 'jobs:read')) throw new HeadwayError('FORBIDDEN', 'this API key lacks the "jobs:read" scope needed to follow live channels; create a key with --scopes jobs:read');
  const channel = raw as Channel;
  const [, jobId, userId] = match;
  if (jobId !== undefined) {
    await headway.jobs.get(jobId, actor); // JOB_NOT_FOUND for someone else's job, as over REST
    return { channel, owner: undefined, jobId, includes: (job) => job.id === jobId, carriesNotifications: false };
  }
  if (userId !== undefined) {
    if (actor.kind === 'user' && actor.userId !== userId) throw new HeadwayError('FORBIDDEN', `a user token may follow only its own channel user:${actor.userId}, not ${channel}`);
    return { channel, owner: userId, jobId: undefined, includes: (job) => job.owner === userId, carriesNotifications: canReadUserNotifications(actor, userId) };
  }
  const owner = actor.kind === 'user' ? actor.userId : undefined;
  return { channel, owner, jobId: undefined, includes: (job) => canSeeOwner(actor, job.owner), carriesNotifications: false };
}

/** What an error repeats of a channel the client sent: enough to recognise it, never the whole of a 16 KB message. */
function shown(raw: unknown): string {
  const text = JSON.stringify(raw) ?? String(raw);
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
