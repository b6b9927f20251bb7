import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import type { ResponseOf } from '@/api/types';

export type ImportJob = ResponseOf<'/api/v1/imports/{id}', 'get'>;
export type ImportStatus = ImportJob['status'];
export type ColumnMapping = ImportJob['mapping'];
export type DryRunReport = ResponseOf<'/api/v1/imports/{id}/dry-run', 'post'>;
export type DryRunRow = DryRunReport['rows'][number];
export type ImportPreset = ResponseOf<'/api/v1/import-presets', 'get'>['items'][number];

const importsKey = ['imports'] as const;
const presetsKey = ['import-presets'] as const;

export function useImports() {
  return useQuery({ queryKey: importsKey, queryFn: async () => (await unwrap(api.GET('/api/v1/imports'))).items });
}

/** One import; polled every second while it runs, so the page shows its progress. */
export function useImport(id: string) {
  return useQuery({
    queryKey: [...importsKey, id],
    queryFn: async () => await unwrap(api.GET('/api/v1/imports/{id}', { params: { path: { id } } })),
    refetchInterval: (query) => (query.state.data?.status === 'running' ? 1000 : false),
  });
}

export function useUploadImport() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ file, kind = 'leads' }: { file: File; kind?: ImportJob['kind'] }) => {
      const form = new FormData();
      form.append('file', file, file.name);
      // multipart/form-data: the browser sets the boundary, so the body is passed as it is.
      return (await unwrap(api.POST('/api/v1/imports', { params: { query: { kind } }, body: form as never, bodySerializer: (body: unknown) => body as FormData }))) as ImportJob;
    },
    onSuccess: () => void client.invalidateQueries({ queryKey: importsKey }),
  });
}

export function useSaveMapping(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (mapping: ColumnMapping) => await unwrap(api.PUT('/api/v1/imports/{id}/mapping', { params: { path: { id } }, body: { mapping } })),
    onSuccess: (job) => client.setQueryData([...importsKey, id], job),
  });
}

export function useDryRun(id: string) {
  return useMutation({ mutationFn: async () => await unwrap(api.POST('/api/v1/imports/{id}/dry-run', { params: { path: { id } }, body: { limit: 100 } })) });
}

export function useStartImport(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (slaClocks: boolean) => await unwrap(api.POST('/api/v1/imports/{id}/start', { params: { path: { id } }, body: { slaClocks } })),
    onSuccess: () => void client.invalidateQueries({ queryKey: importsKey }),
  });
}

export function useCancelImport(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async () => await unwrap(api.POST('/api/v1/imports/{id}/cancel', { params: { path: { id } } })),
    onSuccess: () => void client.invalidateQueries({ queryKey: importsKey }),
  });
}

export function useImportPresets() {
  return useQuery({ queryKey: presetsKey, queryFn: async () => (await unwrap(api.GET('/api/v1/import-presets'))).items });
}

export function useSavePreset() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: { name: string; mapping: ColumnMapping }) => await unwrap(api.POST('/api/v1/import-presets', { body })),
    onSuccess: () => void client.invalidateQueries({ queryKey: presetsKey }),
  });
}

/** The error report's address: a plain link downloads it with the session cookie. */
export function errorReportUrl(id: string): string {
  return `/api/v1/imports/${encodeURIComponent(id)}/errors.csv`;
}
