import { finished } from 'node:stream';
import fastifyFormbody from '@fastify/formbody';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { FormFields } from '../../core/forms/form-fields.js';
import type { FormIntake } from '../../app/forms/form-intake.js';
import { LeadRouterError } from '../../app/errors.js';
import type { FormSourceRecord } from '../../store/form-source-queries.js';
import { errorBodySchema } from '../error-schema.js';
import { formEmbedSnippet } from '../form-embed-snippet.js';

const keyParams = z.object({ key: z.string().min(1).max(100) });

/** Every value a form sends, as text: repeated fields and checkboxes joined, nested JSON as JSON. */
function fieldsOf(body: unknown): FormFields {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new LeadRouterError('LR_ERR_VALIDATION', 'Send the form fields as application/x-www-form-urlencoded, multipart/form-data or a JSON object');
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(body as Record<string, unknown>).slice(0, 200)) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) out[name] = value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ');
    else out[name] = typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  return out;
}

/** An Origin the form accepts posts from; no Origin at all (a server, Tilda's webhook) is always accepted. */
function originAllowed(form: FormSourceRecord, origin: string | undefined): boolean {
  if (origin === undefined) return true;
  const o = origin.toLowerCase();
  return form.allowedOrigins.some((allowed) => allowed === '*' || allowed.toLowerCase() === o);
}

function corsHeaders(reply: FastifyReply, origin: string | undefined): void {
  // Any site may load the script; only allowed sites may read the answers of their posts.
  void reply.header('cross-origin-resource-policy', 'cross-origin');
  if (origin !== undefined) void reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
}

const wantsPage = (request: FastifyRequest): boolean => {
  const accept = request.headers.accept ?? '';
  return accept.includes('text/html') && !accept.includes('application/json');
};

const THANKS = {
  ru: { title: 'Спасибо!', text: 'Мы получили вашу заявку и скоро свяжемся с вами.' },
  en: { title: 'Thank you!', text: 'We have received your request and will be in touch soon.' },
} as const;

function thankYouPage(acceptLanguage: string | undefined): string {
  const t = /^\s*en\b/i.test(acceptLanguage ?? '') ? THANKS.en : THANKS.ru;
  const lang = t === THANKS.en ? 'en' : 'ru';
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${t.title}</title>
<style>body{font-family:system-ui,sans-serif;display:grid;place-items:center;min-height:90vh;margin:0;color:#1a1b1e}main{max-width:28rem;padding:2rem;text-align:center}h1{font-size:1.75rem;margin:0 0 .75rem}</style></head>
<body><main><h1>${t.title}</h1><p>${t.text}</p></main></body></html>`;
}

/**
 * The public side of web forms, under /f/<key>: no API key, the form's unguessable key is the
 * address. Forms post urlencoded, multipart or JSON; a browser posting without a script is sent
 * on to the thank-you page (303), a script gets JSON. The answer never says whether a
 * submission was taken for spam (a bot learns nothing); admins see it in leadrouter.
 */
export function formSubmissionRoutes(forms: FormIntake): FastifyPluginAsyncZod {
  return async (app) => {
    await app.register(fastifyFormbody, { bodyLimit: 256 * 1024 });
    // Fields only: files a form attaches are read past and dropped, never stored.
    await app.register(fastifyMultipart, {
      attachFieldsToBody: 'keyValues',
      limits: { fields: 200, fieldSize: 64 * 1024, files: 10, fileSize: 10 * 1024 * 1024, parts: 220 },
      // A large attachment is cut off and dropped like any other, never a reason to refuse the lead.
      throwFileSizeLimit: false,
      onFile: async (part) => {
        part.file.resume();
        // Settles on the end, an error or an aborted upload alike, so no request waits forever.
        await new Promise<void>((resolve) => finished(part.file, () => resolve()));
      },
    });

    app.post(
      '/f/:key',
      {
        schema: {
          tags: ['forms'],
          summary: 'A web form submission (public: the form key in the address is the credential)',
          description: "Fields are mapped to a lead by the form's settings (docs/forms.md). 200 {status} for scripts, 303 to the thank-you page for a browser's plain post; Tilda's test=test answers 200 and makes no lead.",
          security: [],
          params: keyParams,
          response: { 200: z.object({ status: z.enum(['ok', 'received']), thankYouUrl: z.string().nullable().optional() }), 303: z.null().describe('To the thank-you page'), 403: errorBodySchema, 404: errorBodySchema, 429: errorBodySchema },
        },
      },
      async (request, reply) => {
        const form = await forms.formOf(request.params.key);
        const origin = request.headers.origin;
        if (!originAllowed(form, origin)) {
          throw new LeadRouterError('LR_ERR_FORBIDDEN', `The site ${origin ?? ''} is not among this form's allowed sites; an admin adds it in leadrouter (web forms → allowed sites)`);
        }
        corsHeaders(reply, origin);
        const outcome = await forms.submit(form, { fields: fieldsOf(request.body), ip: request.ip });
        if (outcome.kind === 'test') return { status: 'ok' as const };
        if (wantsPage(request)) return await reply.code(303).header('location', form.thankYouUrl ?? `/f/${encodeURIComponent(form.publicKey)}/thanks`).send(null);
        return { status: 'received' as const, thankYouUrl: form.thankYouUrl };
      },
    );

    app.options('/f/:key', { schema: { hide: true, params: keyParams } }, async (request, reply) => {
      const form = await forms.formOf(request.params.key);
      const origin = request.headers.origin;
      if (!originAllowed(form, origin)) throw new LeadRouterError('LR_ERR_FORBIDDEN', `The site ${origin ?? ''} is not among this form's allowed sites`);
      corsHeaders(reply, origin);
      return await reply.code(204).header('access-control-allow-methods', 'POST').header('access-control-allow-headers', 'content-type, accept').header('access-control-max-age', '600').send();
    });

    app.get(
      '/f/:key/embed.js',
      { schema: { tags: ['forms'], summary: "The form's embed script for sites without a form builder", security: [], params: keyParams } },
      async (request, reply) => {
        const form = await forms.formOf(request.params.key);
        const endpoint = `${request.protocol}://${request.host}/f/${encodeURIComponent(form.publicKey)}`;
        void reply.header('cross-origin-resource-policy', 'cross-origin').header('cache-control', 'public, max-age=300');
        return await reply.type('text/javascript; charset=utf-8').send(formEmbedSnippet(endpoint));
      },
    );

    app.get('/f/:key/thanks', { schema: { hide: true, params: keyParams } }, async (request, reply) => {
      await forms.formOf(request.params.key);
      return await reply.type('text/html; charset=utf-8').send(thankYouPage(request.headers['accept-language']));
    });
  };
}
