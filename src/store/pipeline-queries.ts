import type { Kysely } from 'kysely';
import { DEFAULT_STAGES, type Stage } from '../core/lifecycle/pipeline.js';
import { readJson, writeJson } from './json.js';
import { OPEN_LEAD_EXCLUDED_STATUSES } from './lead-queries.js';
import type { Database } from './schema.js';

export interface PipelineRecord {
  /** Null for the default pipeline. */
  teamId: string | null;
  name: string;
  stages: Stage[];
  /** Null while the built-in default has never been changed. */
  updatedAt: string | null;
}

export const BUILT_IN_PIPELINE: Readonly<PipelineRecord> = Object.freeze({ teamId: null, name: 'Default', stages: [...DEFAULT_STAGES], updatedAt: null });

// One row per team and one default; fixed ids make saving an upsert on the key (team_id null is never unique).
const pipelineId = (teamId: string | null): string => (teamId === null ? 'default' : `team:${teamId}`);

function fromRow(r: { team_id: string | null; name: string; stages: string; updated_at: string }): PipelineRecord {
  return { teamId: r.team_id, name: r.name, stages: readJson<Stage[]>(r.stages, []), updatedAt: r.updated_at };
}

export async function listPipelines(db: Kysely<Database>): Promise<PipelineRecord[]> {
  const rows = await db.selectFrom('pipelines').select(['team_id', 'name', 'stages', 'updated_at']).orderBy('team_id').execute();
  return rows.map(fromRow);
}

/** The team's own pipeline, or the default one (stored or built in). */
export async function findPipelineOfTeam(db: Kysely<Database>, teamId: string | null): Promise<PipelineRecord> {
  const ids = teamId === null ? [pipelineId(null)] : [pipelineId(teamId), pipelineId(null)];
  const rows = await db.selectFrom('pipelines').select(['id', 'team_id', 'name', 'stages', 'updated_at']).where('id', 'in', ids).execute();
  const row = rows.find((r) => r.id === pipelineId(teamId)) ?? rows.find((r) => r.id === pipelineId(null));
  return row ? fromRow(row) : BUILT_IN_PIPELINE;
}

/** The pipeline a lead follows: its owner's team's, else the default. */
export async function findPipelineOfOwner(db: Kysely<Database>, ownerId: string | null): Promise<PipelineRecord> {
  if (ownerId === null) return await findPipelineOfTeam(db, null);
  const owner = await db.selectFrom('managers').select('team_id').where('id', '=', ownerId).executeTakeFirst();
  return await findPipelineOfTeam(db, owner?.team_id ?? null);
}

export async function savePipeline(db: Kysely<Database>, pipeline: { teamId: string | null; name: string; stages: Stage[] }, at: string): Promise<void> {
  await db
    .insertInto('pipelines')
    .values({ id: pipelineId(pipeline.teamId), team_id: pipeline.teamId, name: pipeline.name, stages: writeJson(pipeline.stages), created_at: at, updated_at: at })
    .onConflict((oc) => oc.column('id').doUpdateSet({ name: pipeline.name, stages: writeJson(pipeline.stages), updated_at: at }))
    .execute();
}

/**
 * Open leads per status among `statuses`, counting only the leads that follow the pipeline:
 * those owned in the team, or for the default, those owned outside any team with its own
 * pipeline (and unowned ones).
 */
export async function countLeadsInStatuses(db: Kysely<Database>, teamId: string | null, statuses: string[]): Promise<Map<string, number>> {
  if (statuses.length === 0) return new Map();
  let q = db
    .selectFrom('leads')
    .leftJoin('managers', 'managers.id', 'leads.owner_id')
    .select(['leads.status', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('leads.status', 'in', statuses)
    .where('leads.status', 'not in', [...OPEN_LEAD_EXCLUDED_STATUSES]);
  if (teamId !== null) {
    q = q.where('managers.team_id', '=', teamId);
  } else {
    q = q.where((eb) =>
      eb.or([
        eb('managers.team_id', 'is', null),
        eb('managers.team_id', 'not in', eb.selectFrom('pipelines').select('team_id').where('team_id', 'is not', null).$narrowType<{ team_id: string }>()),
      ]),
    );
  }
  const rows = await q.groupBy('leads.status').execute();
  return new Map(rows.map((r) => [r.status, Number(r.n)]));
}
