import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import type { BodyOf, QueryOf, ResponseOf } from '@/api/types';

export type Company = ResponseOf<'/api/v1/companies', 'get'>['items'][number];
export type Contact = ResponseOf<'/api/v1/contacts', 'get'>['items'][number];
export type CompanyCard = ResponseOf<'/api/v1/companies/{id}', 'get'>;
export type ContactCard = ResponseOf<'/api/v1/contacts/{id}', 'get'>;
export type OwnerHistoryItem = CompanyCard['ownerHistory'][number];
export type ClientLeads = ResponseOf<'/api/v1/companies/{id}/leads', 'get'>;
export type ClientDeals = ResponseOf<'/api/v1/companies/{id}/deals', 'get'>;
export type ClientTimelineItem = ResponseOf<'/api/v1/companies/{id}/timeline', 'get'>['items'][number];
export type CompanyBody = BodyOf<'/api/v1/companies', 'post'>;
export type CompanyPatch = BodyOf<'/api/v1/companies/{id}', 'patch'>;
export type ContactBody = BodyOf<'/api/v1/contacts', 'post'>;
export type ContactPatch = BodyOf<'/api/v1/contacts/{id}', 'patch'>;
export type OwnerChange = BodyOf<'/api/v1/companies/{id}/owner', 'put'>;
export type CompanyFilter = Omit<QueryOf<'/api/v1/companies', 'get'>, 'cursor' | 'limit'>;
export type ContactFilter = Omit<QueryOf<'/api/v1/contacts', 'get'>, 'cursor' | 'limit'>;
export type ClientKind = 'company' | 'contact';

const PAGE = 50;
const clientsKey = ['clients'] as const;

/** Companies by name, a keyset page at a time ("Show more" asks for the next). */
export function useCompanies(filter: CompanyFilter) {
  return useInfiniteQuery({
    queryKey: [...clientsKey, 'companies', filter],
    initialPageParam: undefined as string | undefined,
    placeholderData: keepPreviousData,
    queryFn: async ({ pageParam }) => await unwrap(api.GET('/api/v1/companies', { params: { query: { ...filter, limit: PAGE, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useContacts(filter: ContactFilter) {
  return useInfiniteQuery({
    queryKey: [...clientsKey, 'contacts', filter],
    initialPageParam: undefined as string | undefined,
    placeholderData: keepPreviousData,
    queryFn: async ({ pageParam }) => await unwrap(api.GET('/api/v1/contacts', { params: { query: { ...filter, limit: PAGE, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** A short list for pickers (the holding, a contact's company, a duplicate to merge). */
export function useCompanySearch(q: string, enabled = true) {
  return useQuery({
    queryKey: [...clientsKey, 'company-search', q],
    enabled,
    placeholderData: keepPreviousData,
    queryFn: async () => (await unwrap(api.GET('/api/v1/companies', { params: { query: { ...(q.trim() ? { q: q.trim() } : {}), limit: 20 } } }))).items,
  });
}

export function useContactSearch(q: string, enabled = true) {
  return useQuery({
    queryKey: [...clientsKey, 'contact-search', q],
    enabled,
    placeholderData: keepPreviousData,
    queryFn: async () => (await unwrap(api.GET('/api/v1/contacts', { params: { query: { ...(q.trim() ? { q: q.trim() } : {}), limit: 20 } } }))).items,
  });
}

export function useCompanyCard(id: string) {
  return useQuery({ queryKey: [...clientsKey, 'company', id], queryFn: async () => await unwrap(api.GET('/api/v1/companies/{id}', { params: { path: { id } } })) });
}

export function useContactCard(id: string) {
  return useQuery({ queryKey: [...clientsKey, 'contact', id], queryFn: async () => await unwrap(api.GET('/api/v1/contacts/{id}', { params: { path: { id } } })) });
}

export function useClientLeads(kind: ClientKind, id: string) {
  return useQuery({
    queryKey: [...clientsKey, kind, id, 'leads'],
    queryFn: async () =>
      kind === 'company'
        ? await unwrap(api.GET('/api/v1/companies/{id}/leads', { params: { path: { id } } }))
        : await unwrap(api.GET('/api/v1/contacts/{id}/leads', { params: { path: { id } } })),
  });
}

export function useClientDeals(kind: ClientKind, id: string) {
  return useQuery({
    queryKey: [...clientsKey, kind, id, 'deals'],
    queryFn: async () =>
      kind === 'company'
        ? await unwrap(api.GET('/api/v1/companies/{id}/deals', { params: { path: { id } } }))
        : await unwrap(api.GET('/api/v1/contacts/{id}/deals', { params: { path: { id } } })),
  });
}

export function useClientTimeline(kind: ClientKind, id: string) {
  return useQuery({
    queryKey: [...clientsKey, kind, id, 'timeline'],
    queryFn: async () =>
      (kind === 'company'
        ? await unwrap(api.GET('/api/v1/companies/{id}/timeline', { params: { path: { id } } }))
        : await unwrap(api.GET('/api/v1/contacts/{id}/timeline', { params: { path: { id } } }))
      ).items,
  });
}

function useClientMutation<A, R>(fn: (args: A) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => void client.invalidateQueries({ queryKey: clientsKey }) });
}

export const useCreateCompany = () => useClientMutation(async (body: CompanyBody) => await unwrap(api.POST('/api/v1/companies', { body })));
export const useChangeCompany = () =>
  useClientMutation(async ({ id, body }: { id: string; body: CompanyPatch }) => await unwrap(api.PATCH('/api/v1/companies/{id}', { params: { path: { id } }, body })));
export const useCreateContact = () => useClientMutation(async (body: ContactBody) => await unwrap(api.POST('/api/v1/contacts', { body })));
export const useChangeContact = () =>
  useClientMutation(async ({ id, body }: { id: string; body: ContactPatch }) => await unwrap(api.PATCH('/api/v1/contacts/{id}', { params: { path: { id } }, body })));

export const useChangeOwner = (kind: ClientKind) =>
  useClientMutation(async ({ id, body }: { id: string; body: OwnerChange }) =>
    kind === 'company'
      ? await unwrap(api.PUT('/api/v1/companies/{id}/owner', { params: { path: { id } }, body }))
      : await unwrap(api.PUT('/api/v1/contacts/{id}/owner', { params: { path: { id } }, body: { ownerId: body.ownerId, ...(body.reason ? { reason: body.reason } : {}) } })),
  );

export const useMerge = (kind: ClientKind) =>
  useClientMutation(async ({ id, duplicateId }: { id: string; duplicateId: string }) =>
    kind === 'company'
      ? (await unwrap(api.POST('/api/v1/companies/{id}/merge', { params: { path: { id } }, body: { duplicateId } }))).moved
      : (await unwrap(api.POST('/api/v1/contacts/{id}/merge', { params: { path: { id } }, body: { duplicateId } }))).moved,
  );
