import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import type { BodyOf, QueryOf, ResponseOf } from '@/api/types';

export type SourceHealthQuery = Pick<QueryOf<'/api/v1/reports/source-health', 'get'>, 'from' | 'to' | 'source'>;
export type SourceHealthReport = ResponseOf<'/api/v1/reports/source-health', 'get'>;
export type SourceHealthRow = SourceHealthReport['sources'][number];
export type SourceHealthIncident = SourceHealthReport['incidents'][number];
export type SourceHealthSettings = ResponseOf<'/api/v1/source-health/settings', 'get'>;
export type SourceHealthSettingsInput = BodyOf<'/api/v1/source-health/settings', 'put'>;

const reportKey = ['report', 'source-health'] as const;
const settingsKey = ['source-health', 'settings'] as const;

export function useSourceHealthReport(query: SourceHealthQuery) {
  return useQuery({
    queryKey: [...reportKey, query],
    placeholderData: keepPreviousData,
    // Sources go silent by the hour: the view refreshes itself while open.
    refetchInterval: 5 * 60_000,
    queryFn: async () => await unwrap(api.GET('/api/v1/reports/source-health', { params: { query } })),
  });
}

export function useSourceHealthSettings() {
  return useQuery({ queryKey: settingsKey, queryFn: async () => await unwrap(api.GET('/api/v1/source-health/settings')) });
}

export function useSaveSourceHealthSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: SourceHealthSettingsInput) => await unwrap(api.PUT('/api/v1/source-health/settings', { body })),
    onSuccess: (saved) => {
      client.setQueryData(settingsKey, saved);
      void client.invalidateQueries({ queryKey: reportKey });
    },
  });
}

/** Where a table of the report downloads as CSV (the browser fetches it with the session cookie). */
export function sourceHealthCsvUrl(query: SourceHealthQuery, section: 'sources' | 'incidents'): string {
  const params = new URLSearchParams({ ...(Object.fromEntries(Object.entries(query).filter(([, v]) => v)) as Record<string, string>), format: 'csv', section });
  return `/api/v1/reports/source-health?${params.toString()}`;
}
