import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import type { BodyOf, ResponseOf } from '@/api/types';
import { teamBoardKey } from '@/features/team/team-api';

export type Team = ResponseOf<'/api/v1/teams', 'get'>['items'][number];
export type PersonUser = ResponseOf<'/api/v1/users', 'get'>['items'][number];
export type WeekAbsence = ResponseOf<'/api/v1/absences', 'get'>['items'][number];
export type AbsenceKind = WeekAbsence['kind'];

/** Everything a change of teams, managers or people may show elsewhere: boards, lists, calendars. */
function useInvalidatePeople() {
  const client = useQueryClient();
  return () => {
    for (const key of [['teams'], ['managers'], ['users'], ['absences'], ['week-absences'], teamBoardKey]) void client.invalidateQueries({ queryKey: key });
  };
}

export function useCreateTeam() {
  const invalidate = useInvalidatePeople();
  return useMutation({ mutationFn: async (body: BodyOf<'/api/v1/teams', 'post'>) => await unwrap(api.POST('/api/v1/teams', { body })), onSuccess: invalidate });
}

export function useUpdateTeam() {
  const invalidate = useInvalidatePeople();
  return useMutation({
    mutationFn: async ({ id, ...body }: BodyOf<'/api/v1/teams/{id}', 'patch'> & { id: string }) => await unwrap(api.PATCH('/api/v1/teams/{id}', { params: { path: { id } }, body })),
    onSuccess: invalidate,
  });
}

export function useCreateManager() {
  const invalidate = useInvalidatePeople();
  return useMutation({ mutationFn: async (body: BodyOf<'/api/v1/managers', 'post'>) => await unwrap(api.POST('/api/v1/managers', { body })), onSuccess: invalidate });
}

export function useSaveManager() {
  const invalidate = useInvalidatePeople();
  return useMutation({
    mutationFn: async ({ id, ...body }: BodyOf<'/api/v1/managers/{id}', 'patch'> & { id: string }) => await unwrap(api.PATCH('/api/v1/managers/{id}', { params: { path: { id } }, body })),
    onSuccess: invalidate,
  });
}

/** Everyone away on any day of from..to (local dates, inclusive). */
export function useWeekAbsences(from: string, to: string) {
  return useQuery({ queryKey: ['week-absences', from, to], queryFn: async () => (await unwrap(api.GET('/api/v1/absences', { params: { query: { from, to } } }))).items });
}

export function useAddManagerAbsence() {
  const invalidate = useInvalidatePeople();
  return useMutation({
    mutationFn: async ({ managerId, ...body }: BodyOf<'/api/v1/managers/{id}/absences', 'post'> & { managerId: string }) =>
      await unwrap(api.POST('/api/v1/managers/{id}/absences', { params: { path: { id: managerId } }, body })),
    onSuccess: invalidate,
  });
}

export function useRemoveManagerAbsence() {
  const invalidate = useInvalidatePeople();
  return useMutation({
    mutationFn: async ({ managerId, absenceId }: { managerId: string; absenceId: string }) =>
      await unwrap(api.DELETE('/api/v1/managers/{id}/absences/{absenceId}', { params: { path: { id: managerId, absenceId } } })),
    onSuccess: invalidate,
  });
}

export function useUsers(enabled: boolean) {
  return useQuery({ queryKey: ['users'], enabled, queryFn: async () => (await unwrap(api.GET('/api/v1/users'))).items });
}

export function useCreateUser() {
  const invalidate = useInvalidatePeople();
  return useMutation({ mutationFn: async (body: BodyOf<'/api/v1/users', 'post'>) => await unwrap(api.POST('/api/v1/users', { body })), onSuccess: invalidate });
}

export function useUpdateUser() {
  const invalidate = useInvalidatePeople();
  return useMutation({
    mutationFn: async ({ id, ...body }: BodyOf<'/api/v1/users/{id}', 'patch'> & { id: string }) => await unwrap(api.PATCH('/api/v1/users/{id}', { params: { path: { id } }, body })),
    onSuccess: invalidate,
  });
}

/** A temporary password to hand over once: 14 characters without look-alikes (0/O, 1/l/I). */
export function temporaryPassword(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(14));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}
