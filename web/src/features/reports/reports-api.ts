import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import type { QueryOf, ResponseOf } from '@/api/types';

/** The filters every report takes (docs/reports.md). */
export type ReportQuery = Pick<QueryOf<'/api/v1/reports/distribution', 'get'>, 'from' | 'to' | 'grouping' | 'team' | 'manager' | 'source' | 'rule'>;

export type DistributionReport = ResponseOf<'/api/v1/reports/distribution', 'get'>;
export type SpeedReport = ResponseOf<'/api/v1/reports/speed-to-lead', 'get'>;
export type SlaReport = ResponseOf<'/api/v1/reports/sla', 'get'>;
export type FunnelReport = ResponseOf<'/api/v1/reports/funnel', 'get'>;
export type JunkReport = ResponseOf<'/api/v1/reports/junk', 'get'>;
export type TransfersReport = ResponseOf<'/api/v1/reports/transfers', 'get'>;

const clean = (query: ReportQuery): ReportQuery => Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== '')) as ReportQuery;

const options = { placeholderData: keepPreviousData, staleTime: 60_000 };

export function useDistributionReport(query: ReportQuery) {
  return useQuery({ ...options, queryKey: ['report', 'distribution', clean(query)], queryFn: async () => await unwrap(api.GET('/api/v1/reports/distribution', { params: { query: clean(query) } })) });
}

export function useSpeedReport(query: ReportQuery) {
  return useQuery({ ...options, queryKey: ['report', 'speed-to-lead', clean(query)], queryFn: async () => await unwrap(api.GET('/api/v1/reports/speed-to-lead', { params: { query: clean(query) } })) });
}

export function useSlaReport(query: ReportQuery) {
  return useQuery({ ...options, queryKey: ['report', 'sla', clean(query)], queryFn: async () => await unwrap(api.GET('/api/v1/reports/sla', { params: { query: clean(query) } })) });
}

export function useFunnelReport(query: ReportQuery) {
  return useQuery({ ...options, queryKey: ['report', 'funnel', clean(query)], queryFn: async () => await unwrap(api.GET('/api/v1/reports/funnel', { params: { query: clean(query) } })) });
}

export function useJunkReport(query: ReportQuery) {
  return useQuery({ ...options, queryKey: ['report', 'junk', clean(query)], queryFn: async () => await unwrap(api.GET('/api/v1/reports/junk', { params: { query: clean(query) } })) });
}

export function useTransfersReport(query: ReportQuery) {
  return useQuery({ ...options, queryKey: ['report', 'transfers', clean(query)], queryFn: async () => await unwrap(api.GET('/api/v1/reports/transfers', { params: { query: clean(query) } })) });
}

/**
 * Where a report's table downloads as CSV or an Excel workbook: the same endpoint with `format`,
 * opened by the browser itself (a download carries the session cookie; nothing is fetched by the app).
 */
export function reportExportUrl(report: 'distribution' | 'speed-to-lead' | 'sla' | 'funnel' | 'junk' | 'transfers', query: ReportQuery, section: string, format: 'csv' | 'xlsx'): string {
  const params = new URLSearchParams({ ...(clean(query) as Record<string, string>), format, section });
  return `/api/v1/reports/${report}?${params.toString()}`;
}
