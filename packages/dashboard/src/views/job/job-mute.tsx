import type { ReactNode } from 'react';
import type { Job } from '@headway/client';
import { useJobMute } from '@headway/react';
import { MuteJobButton } from '../../notifications/mute-job-button';
import { hrefOf } from '../../router/route';
import { useSession } from '../../session/session';

/**
 * Mute this job's notifications. A user mutes it for themselves; a key (which has no inbox)
 * mutes it for the job's owner, and says so. Nothing to show for a job without an owner.
 */
export function JobMute(props: { job: Job }): ReactNode {
  const { identity } = useSession();
  const userId = identity.kind === 'user' ? identity.userId : props.job.owner;
  if (!userId) return null;
  return <JobMuteFor job={props.job} userId={userId} forOwner={identity.kind === 'key'} />;
}

function JobMuteFor(props: { job: Job; userId: string; forOwner: boolean }): ReactNode {
  const { job, userId, forOwner } = props;
  const mute = useJobMute(userId, job.id);
  const what = job.counts ? 'this batch or its items' : 'this job';
  const state =
    mute.muted === null
      ? 'Reading the notification preferences…'
      : mute.muted
        ? `Muted: ${forOwner ? `${userId} gets` : 'you get'} no notifications about ${what}.`
        : `Notifications about ${what} follow ${forOwner ? `${userId}’s` : 'your'} preferences.`;
  return (
    <div className="job-mute" data-testid="job-mute">
      <MuteJobButton userId={userId} jobId={job.id} name={forOwner ? `Mute this job for ${userId}` : 'Mute this job'} />
      <p className="muted job-mute-state" aria-live="polite">
        {state}{' '}
        {forOwner && (
          <a href={hrefOf(['preferences'], { user: userId })}>
            {userId}’s preferences
          </a>
        )}
      </p>
    </div>
  );
}
