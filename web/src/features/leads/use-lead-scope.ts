import type { LeadListQuery, Pipelines, SessionUser } from '@/api/types';

/** Whose leads a person's lists show: a manager their own; a head and an admin what the server lets them see. */
export function ownerFilterFor(user: SessionUser): Pick<LeadListQuery, 'ownerId'> {
  return user.role === 'manager' && user.managerId ? { ownerId: user.managerId } : {};
}

/** The pipeline a person works in: their team's own, else the default. */
export function pipelineFor(pipelines: Pipelines | undefined, teamId: string | null) {
  if (!pipelines) return null;
  return pipelines.teams.find((p) => p.teamId === teamId) ?? pipelines.default;
}
