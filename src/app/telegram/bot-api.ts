/** The few Bot API methods leadrouter calls, over plain fetch (https://core.telegram.org/bots/api). */

export interface InlineButton {
  text: string;
  /** 1–64 bytes. */
  callback_data?: string;
  url?: string;
}
export type InlineKeyboard = InlineButton[][];

export interface TelegramUser {
  id: number;
  first_name?: string;
  username?: string;
  language_code?: string;
}

export interface TelegramMessage {
  message_id: number;
  chat: { id: number; type?: string };
  from?: TelegramUser;
  text?: string;
}

export interface TelegramUpdate {
  update_id: number;
  message?: TelegramMessage;
  callback_query?: { id: string; from: TelegramUser; message?: TelegramMessage; data?: string };
}

/** A refused call; `retryAfterSeconds` on 429 (Too Many Requests) as Telegram asks. */
export class TelegramApiError extends Error {
  override name = 'TelegramApiError';
  constructor(
    message: string,
    readonly status: number,
    readonly retryAfterSeconds: number | null,
  ) {
    super(message);
  }
}

export interface BotApiSettings {
  botToken: string;
  /** https://api.telegram.org, or a local server speaking the same contract. */
  apiBaseUrl: string;
  timeoutMs?: number;
}

export interface BotApi {
  call<T>(method: string, params: Record<string, unknown>, options?: { timeoutMs?: number; signal?: AbortSignal }): Promise<T>;
}

export function botApi(settings: BotApiSettings): BotApi {
  const base = `${settings.apiBaseUrl.replace(/\/+$/, '')}/bot${settings.botToken}`;
  return {
    async call<T>(method: string, params: Record<string, unknown>, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<T> {
      const timeout = AbortSignal.timeout(options.timeoutMs ?? settings.timeoutMs ?? 10_000);
      const response = await fetch(`${base}/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(params),
        signal: options.signal ? AbortSignal.any([timeout, options.signal]) : timeout,
      });
      const answer = (await response.json().catch(() => null)) as { ok?: boolean; result?: T; description?: string; parameters?: { retry_after?: number } } | null;
      if (!response.ok || answer?.ok !== true) {
        const retryAfter = response.status === 429 ? Math.max(1, Number(answer?.parameters?.retry_after ?? response.headers.get('retry-after') ?? 1) || 1) : null;
        throw new TelegramApiError(`Telegram ${method} answered ${response.status}${answer?.description ? `: ${answer.description}` : ''}`, response.status, retryAfter);
      }
      return answer.result as T;
    },
  };
}
