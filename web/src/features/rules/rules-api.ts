import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import type { BodyOf, ResponseOf } from '@/api/types';

export type StoredRuleSet = ResponseOf<'/api/v1/rule-sets/{version}', 'get'>;
export type RuleSetValidation = ResponseOf<'/api/v1/rule-sets/validate', 'post'>;
export type RuleSetIssue = RuleSetValidation['issues'][number];
export type RuleSetComparison = ResponseOf<'/api/v1/routing/compare', 'post'>;
export type CompareRequest = BodyOf<'/api/v1/routing/compare', 'post'>;
export type RoutingVocabulary = ResponseOf<'/api/v1/routing/vocabulary', 'get'>;

const ruleSetsKey = ['rule-sets'] as const;

/** Every version, newest first: drafts, the published one and the superseded ones. */
export function useRuleSets() {
  return useQuery({ queryKey: ruleSetsKey, queryFn: async () => (await unwrap(api.GET('/api/v1/rule-sets'))).items });
}

/**
 * The server's verdict on the definition being edited. The caller passes a debounced
 * definition, so this asks once a pause in typing, and keeps showing the last verdict meanwhile.
 */
export function useRuleSetValidation(definition: unknown, enabled: boolean) {
  return useQuery({
    queryKey: ['rule-set-validation', JSON.stringify(definition)],
    enabled,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    queryFn: async () => await unwrap(api.POST('/api/v1/rule-sets/validate', { body: { definition } })),
  });
}

/** Values the pickers offer: what recent leads held, and the skills, regions… managers have. */
export function useRoutingVocabulary() {
  return useQuery({ queryKey: ['routing-vocabulary'], staleTime: 10 * 60_000, queryFn: async () => await unwrap(api.GET('/api/v1/routing/vocabulary', { params: { query: { days: 90 } } })) });
}

/** Saves the definition as a new draft, or over the draft being edited. */
export function useSaveDraft() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ version, revision, definition, comment }: { version: number | null; revision: string | null; definition: Record<string, unknown>; comment: string }) => {
      const body = { definition, ...(comment.trim() ? { comment: comment.trim() } : {}) };
      return version === null
        ? await unwrap(api.POST('/api/v1/rule-sets', { body }))
        : // The revision loaded: a draft someone else saved meanwhile is refused (409), not overwritten.
          await unwrap(api.PUT('/api/v1/rule-sets/{version}', { params: { path: { version } }, body: { ...body, ...(revision ? { revision } : {}) } }));
    },
    onSuccess: () => void client.invalidateQueries({ queryKey: ruleSetsKey }),
  });
}

export function usePublish() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (version: number) => await unwrap(api.POST('/api/v1/rule-sets/{version}/publish', { params: { path: { version } } })),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ruleSetsKey });
      void client.invalidateQueries({ queryKey: ['simulation'] });
    },
  });
}

/** The draft against the published rules (or any two versions) over the same leads. */
export function useCompareRuleSets() {
  return useMutation({ mutationFn: async (body: CompareRequest) => await unwrap(api.POST('/api/v1/routing/compare', { body })) });
}
