import { Migrator, type Migration, type MigrationResultSet } from 'kysely';
import type { Store } from './database.js';
import * as initial from './migrations/0001-initial.js';
import * as workingTheLead from './migrations/0002-working-the-lead.js';
import * as leadSearch from './migrations/0003-lead-search.js';
import * as personLocale from './migrations/0004-person-locale.js';
import * as apiKeyCreator from './migrations/0005-api-key-creator.js';
import * as teamZoneAbsenceKind from './migrations/0006-team-zone-absence-kind.js';
import * as sourceHealth from './migrations/0007-source-health.js';
import * as reportIndexes from './migrations/0008-report-indexes.js';
import * as leadOriginator from './migrations/0009-lead-originator.js';
import * as plans from './migrations/0010-plans.js';
import * as bonuses from './migrations/0011-bonuses.js';
import * as formSources from './migrations/0012-form-sources.js';
import * as apiKeyIntakeOptions from './migrations/0013-api-key-intake-options.js';
import * as telegramBot from './migrations/0014-telegram-bot.js';
import * as clientBase from './migrations/0015-client-base.js';
import * as priorityTiers from './migrations/0016-priority-tiers.js';
import * as imports from './migrations/0017-imports.js';
import * as reportRollups from './migrations/0018-report-rollups.js';
import * as clientSplits from './migrations/0020-client-splits.js';
import * as crmConnectors from './migrations/0021-crm-connectors.js';
import * as reportRollupSettling from './migrations/0022-report-rollup-settling.js';
import * as reportTransferTrigger from './migrations/0023-report-transfer-trigger.js';
import * as reportDirtyDoneVersion from './migrations/0024-report-dirty-done-version.js';
import * as crmQuarantine from './migrations/0025-crm-quarantine.js';
import * as outboxLanes from './migrations/0026-outbox-lanes.js';
import * as leadListIndexes from './migrations/0027-lead-list-indexes.js';
import * as reportRollupsPerManager from './migrations/0028-report-rollups-per-manager.js';
import * as reportDirtyLeadColumns from './migrations/0029-report-dirty-lead-columns.js';

/** Frozen, ordered migrations; the schema version is the number applied. */
const migrations: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-working-the-lead': workingTheLead,
  '0003-lead-search': leadSearch,
  '0004-person-locale': personLocale,
  '0005-api-key-creator': apiKeyCreator,
  '0006-team-zone-absence-kind': teamZoneAbsenceKind,
  '0007-source-health': sourceHealth,
  '0008-report-indexes': reportIndexes,
  '0009-lead-originator': leadOriginator,
  '0010-plans': plans,
  '0011-bonuses': bonuses,
  '0012-form-sources': formSources,
  '0013-api-key-intake-options': apiKeyIntakeOptions,
  '0014-telegram-bot': telegramBot,
  '0015-client-base': clientBase,
  '0016-priority-tiers': priorityTiers,
  '0017-imports': imports,
  '0018-report-rollups': reportRollups,
  '0020-client-splits': clientSplits,
  '0021-crm-connectors': crmConnectors,
  '0022-report-rollup-settling': reportRollupSettling,
  '0023-report-transfer-trigger': reportTransferTrigger,
  '0024-report-dirty-done-version': reportDirtyDoneVersion,
  '0025-crm-quarantine': crmQuarantine,
  '0026-outbox-lanes': outboxLanes,
  '0027-lead-list-indexes': leadListIndexes,
  '0028-report-rollups-per-manager': reportRollupsPerManager,
  '0029-report-dirty-lead-columns': reportDirtyLeadColumns,
};

export const LATEST_SCHEMA_VERSION = Object.keys(migrations).length;

function migratorFor(store: Store): Migrator {
  return new Migrator({
    db: store.db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  });
}

/** Applies pending migrations; returns kysely's `{ error, results }` instead of throwing midway. */
export async function migrateToLatest(store: Store): Promise<MigrationResultSet> {
  return await migratorFor(store).migrateToLatest();
}

/** Applies pending migrations up to and including `name` (tests of a migration's backfill start from the schema before it). */
export async function migrateTo(store: Store, name: string): Promise<MigrationResultSet> {
  return await migratorFor(store).migrateTo(name);
}

export async function schemaVersion(store: Store): Promise<number> {
  const all = await migratorFor(store).getMigrations();
  return all.filter((m) => m.executedAt !== undefined).length;
}
