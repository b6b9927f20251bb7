/**
 * Yandex SmartCaptcha's server-side check: POST form-encoded secret, token and the visitor's
 * address to /validate; `{"status":"ok"}` passes, `"failed"` does not (a token is valid for five
 * minutes, once). When the service cannot be reached the answer is `unavailable`: the
 * submission is then accepted as a person's — a real lead is worth more than a missed bot.
 */
export type CaptchaAnswer = 'ok' | 'failed' | 'unavailable';

export interface CaptchaVerifier {
  verify(input: { secret: string; token: string; ip: string }): Promise<CaptchaAnswer>;
}

export const SMARTCAPTCHA_VALIDATE_URL = 'https://smartcaptcha.yandexcloud.net/validate';

export function smartCaptcha(url: string = SMARTCAPTCHA_VALIDATE_URL, timeoutMs = 3_000): CaptchaVerifier {
  return {
    async verify({ secret, token, ip }) {
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ secret, token, ip }).toString(),
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (!res.ok) return 'unavailable';
        const body = (await res.json()) as { status?: unknown };
        return body.status === 'ok' ? 'ok' : 'failed';
      } catch {
        return 'unavailable';
      }
    },
  };
}
