import type { InAppNotification } from '@headway/protocol';
import type { Endpoint } from '../http/rest.js';
import type { NotificationChannelName, NotificationPreferences, PreferencesChange, PreferencesDocument } from './preferences.js';

export type DeliveryStatus = InAppNotification['status'];

export interface NotificationQuery {
  /** Whose notifications: implied by a user token; the admin key and API keys may name anyone (or leave it out to list all). */
  user?: string;
  status?: DeliveryStatus | DeliveryStatus[];
  type?: string;
  channel?: NotificationChannelName;
  jobId?: string;
  /** Only in-app notifications not read yet. */
  unread?: boolean;
  /** Page size, 1–500 (server default 50). */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

export interface NotificationAttempt {
  attempt: number;
  channel: NotificationChannelName;
  startedAt: number;
  endedAt: number;
  outcome: string;
  error: string | null;
}

export interface NotificationPage {
  /** Newest first, each with its delivery attempts. */
  items: Array<InAppNotification & { history?: NotificationAttempt[] }>;
  nextCursor: string | null;
}

/** What marking read or seen changed, and the user's unread count after it. */
export interface MarkAnswer {
  user: string;
  changed: number;
  unread: number;
}

const enc = encodeURIComponent;

/** Typed calls for `/v1/notifications`, `/v1/users/:id/preferences` and `/v1/users/:id/muted-jobs`. `user` is needed only with a key. */
export class NotificationsApi {
  constructor(private readonly endpoint: Endpoint) {}

  list(query: NotificationQuery = {}, signal?: AbortSignal): Promise<NotificationPage> {
    const { status, ...rest } = query;
    return this.endpoint.request('GET', 'v1/notifications', { query: { ...rest, status: Array.isArray(status) ? status.join(',') : status }, signal });
  }

  /** Number of unread in-app notifications. */
  async unreadCount(options: { user?: string } = {}, signal?: AbortSignal): Promise<number> {
    const answer = await this.endpoint.request<{ count: number }>('GET', 'v1/notifications/unread-count', { query: { user: options.user }, signal });
    return answer.count;
  }

  markRead(ids: string[], options: { user?: string } = {}): Promise<MarkAnswer> {
    return this.mark('read', ids, options.user);
  }

  markAllRead(options: { user?: string } = {}): Promise<MarkAnswer> {
    return this.mark('read', undefined, options.user);
  }

  /** Seen: shown to the user (e.g. the panel was opened), not necessarily read. All when `ids` is left out. */
  markSeen(ids?: string[], options: { user?: string } = {}): Promise<MarkAnswer> {
    return this.mark('seen', ids, options.user);
  }

  preferences(userId: string, signal?: AbortSignal): Promise<NotificationPreferences> {
    return this.endpoint.request('GET', `v1/users/${enc(userId)}/preferences`, { signal });
  }

  /**
   * Changes the fields sent (PATCH, a JSON Merge Patch: objects merge, null removes a member) and
   * keeps the others; answers the whole stored preferences. Bad values → VALIDATION_FAILED naming the field.
   */
  savePreferences(userId: string, change: PreferencesChange): Promise<NotificationPreferences> {
    return this.endpoint.request('PATCH', `v1/users/${enc(userId)}/preferences`, { body: change });
  }

  /** Replaces the whole preferences document (PUT): a field left out takes its default, muted jobs included. */
  replacePreferences(userId: string, document: PreferencesDocument): Promise<NotificationPreferences> {
    return this.endpoint.request('PUT', `v1/users/${enc(userId)}/preferences`, { body: document });
  }

  /**
   * Mutes or unmutes one job (a batch: its items too), keeping the other muted jobs. One request
   * that the server applies to the stored list, so tabs muting other jobs at the same moment keep
   * theirs. Idempotent; answers the whole stored preferences. Muting past the server's cap (1,000
   * jobs) is refused with CONFLICT.
   */
  setJobMuted(userId: string, jobId: string, muted: boolean): Promise<NotificationPreferences> {
    return this.endpoint.request(muted ? 'PUT' : 'DELETE', `v1/users/${enc(userId)}/muted-jobs/${enc(jobId)}`);
  }

  private mark(state: 'read' | 'seen', ids: string[] | undefined, user: string | undefined): Promise<MarkAnswer> {
    if (ids !== undefined && ids.length === 0) return this.unreadCount({ user }).then((unread) => ({ user: user ?? '', changed: 0, unread }));
    return this.endpoint.request('POST', `v1/notifications/${state}`, { body: { ...(user !== undefined ? { user } : {}), ...(ids !== undefined ? { ids } : {}) } });
  }
}
