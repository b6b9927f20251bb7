import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import type { BodyOf, QueryOf, ResponseOf } from '@/api/types';

export type BonusReport = ResponseOf<'/api/v1/bonuses', 'get'>;
export type BonusManager = BonusReport['managers'][number];
export type BonusLine = BonusManager['lines'][number];
export type BonusTotal = BonusReport['totals'][number];
export type BonusSettings = ResponseOf<'/api/v1/bonuses/settings', 'get'>;
export type BonusQuery = Pick<QueryOf<'/api/v1/bonuses', 'get'>, 'period' | 'team' | 'manager'>;

const bonusKey = ['bonuses'] as const;
const clean = (query: BonusQuery): BonusQuery => Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== '')) as BonusQuery;

/** The month's bonus lines the signed-in person may see (docs/motivation.md, "Bonus"). */
export function useBonusReport(query: BonusQuery, enabled = true) {
  return useQuery({
    queryKey: [...bonusKey, 'report', clean(query)],
    enabled,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    queryFn: async () => await unwrap(api.GET('/api/v1/bonuses', { params: { query: clean(query) } })),
  });
}

export function useClosePeriod() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ period, teamId }: { period: string; teamId?: string }) =>
      await unwrap(api.POST('/api/v1/bonuses/periods/{period}/close', { params: { path: { period } }, body: teamId ? { teamId } : {} })),
    onSuccess: () => void client.invalidateQueries({ queryKey: bonusKey }),
  });
}

/** A team's bonus settings: heads read their own team's, admins any team's. */
export function useBonusSettings(teamId: string | null, enabled = true) {
  return useQuery({
    queryKey: [...bonusKey, 'settings', teamId],
    enabled: enabled && teamId !== null,
    queryFn: async () => await unwrap(api.GET('/api/v1/bonuses/settings', { params: { query: teamId ? { team: teamId } : {} } })),
  });
}

export function useSaveBonusSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ teamId, ...body }: BodyOf<'/api/v1/bonuses/settings', 'put'> & { teamId: string }) =>
      await unwrap(api.PUT('/api/v1/bonuses/settings', { params: { query: { team: teamId } }, body })),
    onSuccess: () => void client.invalidateQueries({ queryKey: bonusKey }),
  });
}

/** Where the month downloads for payroll: the same endpoint with `format`, opened by the browser (the session cookie goes along). */
export function bonusExportUrl(query: BonusQuery, format: 'xlsx' | 'csv'): string {
  const params = new URLSearchParams({ ...(clean(query) as Record<string, string>), format });
  return `/api/v1/bonuses?${params.toString()}`;
}
