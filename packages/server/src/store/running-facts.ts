import { columnOf, type JobField } from './job-columns.js';
import type { RunningJobFacts } from './store.js';

const RUNNING_FACT_FIELDS = ['id', 'type', 'title', 'owner', 'attempt', 'percent', 'message', 'createdAt', 'startedAt', 'pausedMs', 'updatedAt'] as const satisfies readonly (keyof RunningJobFacts & JobField)[];

/** The select list of runningFacts, each column named as its field (`started_at AS "startedAt"`): rows need no mapping. */
export const RUNNING_FACT_COLUMNS = RUNNING_FACT_FIELDS.map((field) => `${columnOf(field)} AS "${field}"`).join(', ');
