import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { Store } from '../store/store.js';
import type { NotificationChannel } from './channels/channel.js';
import type { TemplateCatalog } from './templates/catalog.js';
import type { ChannelName } from './types.js';

/** What the dispatcher and each delivery share (its own file so the two do not import each other). */
export interface DispatcherDeps {
  store: Store;
  logger: Logger;
  now: () => number;
  newId: () => string;
  random: () => number;
  /** Lease owner: the node id, so a restarted node takes back at once what it had claimed. */
  nodeId: string;
  settings: Config['notify'];
  channels: ReadonlyMap<ChannelName, NotificationChannel>;
  templates: TemplateCatalog;
}
