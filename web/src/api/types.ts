import type { paths } from './schema';

/** The JSON body of a 2xx answer of an operation, by path and method. */
export type ResponseOf<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { responses: infer R }
  ? R extends { 200: { content: { 'application/json': infer B } } }
    ? B
    : R extends { 201: { content: { 'application/json': infer B } } }
      ? B
      : never
  : never;

/** The JSON body an operation takes. */
export type BodyOf<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

/** The query parameters an operation takes. */
export type QueryOf<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

export type Session = ResponseOf<'/api/v1/session', 'get'>;
export type SessionUser = Session['user'];
export type Role = SessionUser['role'];
export type LeadWithDecision = ResponseOf<'/api/v1/leads/{id}', 'get'>;
export type Lead = LeadWithDecision['lead'];
export type Decision = NonNullable<LeadWithDecision['decision']>;
export type LeadPage = ResponseOf<'/api/v1/leads', 'get'>;
export type LeadListQuery = QueryOf<'/api/v1/leads', 'get'>;
export type Notification = ResponseOf<'/api/v1/notifications', 'get'>['items'][number];
export type Pipelines = ResponseOf<'/api/v1/pipelines', 'get'>;
export type Reason = ResponseOf<'/api/v1/reasons', 'get'>['items'][number];
export type TimelineEntry = ResponseOf<'/api/v1/leads/{id}/timeline', 'get'>['items'][number];
export type Task = ResponseOf<'/api/v1/tasks', 'get'>['items'][number];
export type Manager = ResponseOf<'/api/v1/managers/{id}', 'get'>;
export type Team = ResponseOf<'/api/v1/teams', 'get'>['items'][number];
export type Transfer = ResponseOf<'/api/v1/transfers', 'get'>['items'][number];
export type PoolPage = ResponseOf<'/api/v1/pool', 'get'>;
export type PoolSettings = ResponseOf<'/api/v1/pool/settings', 'get'>;
export type Briefing = ResponseOf<'/api/v1/leads/{id}/briefing', 'get'>;
export type Simulation = ResponseOf<'/api/v1/routing/simulate', 'post'>;
