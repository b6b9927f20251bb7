import { v7 as uuidv7 } from 'uuid';
import type { Store } from '../store/database.js';
import type { AppConfig } from './config.js';
import type { WebhookAllowList } from './notifications/webhook-target.js';

/** What every use case needs: the store, the configuration, and the clock and id source (passed in so tests control them). */
export interface AppContext {
  store: Store;
  /** webhookAllowList: where webhooks may go although local (WEBHOOK_ALLOW_HOSTS); none when left out. */
  config: Pick<AppConfig, 'defaultCountry' | 'intakeMaxBatch'> & { webhookAllowList?: WebhookAllowList };
  now: () => Date;
  newId: () => string;
}

export function createAppContext(store: Store, config: AppContext['config'], overrides: Partial<Pick<AppContext, 'now' | 'newId'>> = {}): AppContext {
  return {
    store,
    config,
    now: overrides.now ?? (() => new Date()),
    // Time-ordered (UUIDv7, monotonic within a process) so rows written together keep their order.
    newId: overrides.newId ?? (() => uuidv7()),
  };
}
