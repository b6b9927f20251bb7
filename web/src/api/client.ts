import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

/** The shape of every error the server sends (docs/errors.md). */
export interface ApiErrorBody {
  error: { code: string; message: string; details?: Array<{ path?: string; code?: string; message?: string } & Record<string, unknown>> };
}

/** An API answer that was not 2xx, carrying the server's own code, human message and field details. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: NonNullable<ApiErrorBody['error']['details']> = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The message the server gave for one field (`details[].path`), to show next to that field. */
  fieldMessage(path: string): string | undefined {
    const detail = this.fieldDetail(path);
    return detail ? (detail.message ?? this.message) : undefined;
  }

  /** The server's detail for one field (or a part of it), with its code: web/src/ui/FormError.tsx words it in the reader's language. */
  fieldDetail(path: string): NonNullable<ApiErrorBody['error']['details']>[number] | undefined {
    return this.details.find((d) => d.path === path || d.path?.startsWith(`${path}.`) || d.path?.startsWith(`${path}[`));
  }
}

let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;

/** Remembered from sign-in or from GET /session; repeated on every change as the server requires. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when a request answers 401 after sign-in (the session expired or was ended elsewhere). */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const sessionMiddleware: Middleware = {
  onRequest({ request }) {
    if (csrfToken && UNSAFE.has(request.method)) request.headers.set('X-CSRF-Token', csrfToken);
    return request;
  },
  onResponse({ response, request }) {
    if (response.status === 401 && !request.url.endsWith('/api/v1/session')) onUnauthorized?.();
    return response;
  },
};

/** The only way the web app talks to the server: typed by the server's OpenAPI document. */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(sessionMiddleware);

type Answer<T> = { data?: T; error?: unknown; response: Response };

/** The data of a successful answer, or an ApiError with the server's message. */
export async function unwrap<T>(pending: Promise<Answer<T>>): Promise<T> {
  let answer: Answer<T>;
  try {
    answer = await pending;
  } catch {
    throw new ApiError(0, 'LR_WEB_NETWORK', '');
  }
  const { data, error, response } = answer;
  if (response.ok) return data as T;
  const body = error as Partial<ApiErrorBody> | undefined;
  throw new ApiError(response.status, body?.error?.code ?? `HTTP_${response.status}`, body?.error?.message ?? response.statusText, body?.error?.details ?? []);
}
