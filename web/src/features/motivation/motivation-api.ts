import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import type { BodyOf, ResponseOf } from '@/api/types';

export type PlansView = ResponseOf<'/api/v1/plans', 'get'>;
export type TeamPlan = PlansView['teams'][number];
export type Targets = TeamPlan['team']['targets'];
export type PlanMetric = keyof Targets;
export type PlanFact = ResponseOf<'/api/v1/motivation/plan-fact', 'get'>;
export type MetricProgress = PlanFact['managers'][number]['metrics'][number];
export type Leaderboard = ResponseOf<'/api/v1/motivation/leaderboard', 'get'>;
export type TargetInput = BodyOf<'/api/v1/plans/{period}', 'put'>['targets'][number];

/** The metrics in the order the product shows them (the server's order). */
export const PLAN_METRICS: readonly PlanMetric[] = ['leadsWorked', 'firstContacts', 'conversions', 'wonValue', 'calls', 'emails', 'meetings'];
export const PER_DAY: ReadonlySet<PlanMetric> = new Set(['calls', 'emails', 'meetings']);

const options = { placeholderData: keepPreviousData, staleTime: 60_000 };
const clean = <T extends Record<string, string | undefined>>(q: T) => Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== '')) as T;

export function usePlans(period: string, team: string | undefined, enabled = true) {
  const query = clean({ period, team });
  return useQuery({ ...options, enabled, queryKey: ['plans', query], queryFn: async () => await unwrap(api.GET('/api/v1/plans', { params: { query } })) });
}

export function usePlanFact(period: string | undefined, team: string | undefined, enabled = true) {
  const query = clean({ period, team });
  return useQuery({ ...options, enabled, queryKey: ['plan-fact', query], queryFn: async () => await unwrap(api.GET('/api/v1/motivation/plan-fact', { params: { query } })) });
}

export function useLeaderboard(period: string | undefined, team: string | undefined, metric: PlanMetric, enabled = true) {
  const query = clean({ period, team, metric });
  return useQuery({ ...options, enabled, queryKey: ['leaderboard', query], queryFn: async () => await unwrap(api.GET('/api/v1/motivation/leaderboard', { params: { query } })) });
}

function useInvalidate() {
  const client = useQueryClient();
  return () => {
    for (const key of [['plans'], ['plan-fact'], ['leaderboard']]) void client.invalidateQueries({ queryKey: key });
  };
}

export function useSavePlans() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async ({ period, ...body }: BodyOf<'/api/v1/plans/{period}', 'put'> & { period: string }) => await unwrap(api.PUT('/api/v1/plans/{period}', { params: { path: { period } }, body })),
    onSuccess: invalidate,
  });
}

/** Reads another month's plan on demand (copying last month into the editor), through the query cache. */
export function usePlanLoader() {
  const client = useQueryClient();
  return async (period: string, team: string | undefined): Promise<PlansView> => {
    const query = clean({ period, team });
    return await client.fetchQuery({ queryKey: ['plans', query], staleTime: 60_000, queryFn: async () => await unwrap(api.GET('/api/v1/plans', { params: { query } })) });
  };
}
