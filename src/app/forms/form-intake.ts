import { mapSubmission, type FormFields } from '../../core/forms/form-fields.js';
import { RateWindow } from '../../core/forms/rate-window.js';
import { spamVerdict } from '../../core/forms/spam-checks.js';
import { findFormSourceByKey, insertQuarantined, type FormSourceRecord } from '../../store/form-source-queries.js';
import type { AppContext } from '../app-context.js';
import { isLeadRouterError, LeadRouterError, type FieldIssue } from '../errors.js';
import { leadInputSchema, type LeadInput } from '../intake/lead-input.js';
import type { LeadIntake } from '../intake/lead-intake.js';
import type { SpamMark } from '../intake/prepare-lead.js';
import type { CaptchaVerifier } from './captcha.js';

/** What became of a submission; every kind but `test` left a record somewhere. */
export type FormOutcome =
  | { kind: 'test' }
  | { kind: 'accepted'; leadId: string; replayed: boolean }
  | { kind: 'spam'; leadId: string | null; check: string }
  | { kind: 'quarantined'; quarantineId: string; issues: FieldIssue[] };

/** The id a form gives each submission, so its retries make one lead: Tilda's `tranid`, or the embed snippet's `_lr_id`. */
function submissionIdOf(fields: FormFields): string | null {
  const id = (fields.tranid ?? fields._lr_id ?? '').trim();
  return id === '' ? null : id.slice(0, 200);
}

/** Tilda checks a webhook by posting `test=test` and expects 200; it is no lead. */
function isConnectionTest(fields: FormFields): boolean {
  return fields.test === 'test' && Object.keys(fields).every((k) => ['test', 'formid', 'tranid'].includes(k.toLowerCase()));
}

/**
 * Public submissions of web forms: the form's own limits, the spam checks, the field mapping,
 * then intake as for any lead (matched, routed, stored, announced). A submission is never
 * dropped: spam is kept as junk, a lead intake refuses is kept in the quarantine.
 */
export class FormIntake {
  private readonly perIp = new RateWindow();
  private readonly perForm = new RateWindow();

  constructor(
    private readonly ctx: AppContext,
    private readonly intake: LeadIntake,
    private readonly captcha: CaptchaVerifier,
  ) {}

  async formOf(publicKey: string): Promise<FormSourceRecord> {
    const form = publicKey.length <= 100 ? await findFormSourceByKey(this.ctx.store.db, publicKey) : undefined;
    if (!form) throw new LeadRouterError('LR_ERR_NOT_FOUND', 'No web form with this address; copy it again from leadrouter');
    if (!form.active) throw new LeadRouterError('LR_ERR_NOT_FOUND', 'This web form is switched off in leadrouter');
    return form;
  }

  async submit(form: FormSourceRecord, submission: { fields: FormFields; ip: string }): Promise<FormOutcome> {
    const { fields, ip } = submission;
    if (isConnectionTest(fields)) return { kind: 'test' };
    const now = this.ctx.now().getTime();
    if (!this.perIp.hit(`${form.id}\u0000${ip}`, form.perIpPerMinute, now) || !this.perForm.hit(form.id, form.perFormPerMinute, now)) {
      throw Object.assign(new LeadRouterError('LR_ERR_RATE_LIMITED', 'Too many submissions of this form; try again in a minute'), { retryAfterSeconds: this.perIp.secondsLeft(now) });
    }

    const spam = await this.spamCheck(form, fields, ip);
    const { input } = mapSubmission(fields, { fieldMap: form.fieldMap, keepUnknown: form.keepUnknown, source: form.source, channel: form.channel, campaign: form.campaign });
    const idempotencyKey = submissionIdOf(fields);
    const parsed = leadInputSchema.safeParse(input);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.') || 'lead', code: i.code, message: i.message }));
      // Spam that is not even a lead is kept for the count, already resolved.
      const quarantineId = await this.quarantine(form, { fields, input, issues, idempotencyKey, discardedAsSpam: spam });
      return spam ? { kind: 'spam', leadId: null, check: spam.check } : { kind: 'quarantined', quarantineId, issues };
    }
    try {
      const [outcome] = await this.intake.accept({ leads: [parsed.data], apiKeyId: form.apiKeyId, idempotencyKey, actor: `form:${form.id}`, spam: [spam] });
      if (!outcome) throw new LeadRouterError('LR_ERR_INTERNAL');
      if (spam) return { kind: 'spam', leadId: outcome.lead.id, check: spam.check };
      return { kind: 'accepted', leadId: outcome.lead.id, replayed: outcome.status === 'replayed' };
    } catch (error) {
      // The same submission id with different fields: kept for a person to look at, not refused to the visitor.
      if (isLeadRouterError(error) && (error.code === 'LR_ERR_IDEMPOTENCY_MISMATCH' || error.code === 'LR_ERR_UNPROCESSABLE')) {
        const issues = error.details ?? [{ path: 'lead', code: error.code === 'LR_ERR_IDEMPOTENCY_MISMATCH' ? 'idempotency_mismatch' : 'unprocessable', message: error.message }];
        const quarantineId = await this.quarantine(form, { fields, input: parsed.data, issues, idempotencyKey: null, discardedAsSpam: spam });
        return { kind: 'quarantined', quarantineId, issues };
      }
      throw error;
    }
  }

  private async spamCheck(form: FormSourceRecord, fields: FormFields, ip: string): Promise<SpamMark | null> {
    const verdict = spamVerdict(fields, { honeypotField: form.honeypotField, minSeconds: form.minSeconds });
    if (verdict.spam) return { check: verdict.check, detail: verdict.detail };
    if (form.captchaSecret === null) return null;
    const token = fields['smart-token']?.trim();
    if (!token) return { check: 'captcha', detail: 'no captcha token was sent' };
    const answer = await this.captcha.verify({ secret: form.captchaSecret, token, ip });
    return answer === 'failed' ? { check: 'captcha', detail: 'SmartCaptcha refused the token' } : null;
  }

  private async quarantine(form: FormSourceRecord, q: { fields: FormFields; input: Record<string, unknown> | LeadInput; issues: FieldIssue[]; idempotencyKey: string | null; discardedAsSpam: SpamMark | null }): Promise<string> {
    const id = this.ctx.newId();
    const at = this.ctx.now().toISOString();
    await insertQuarantined(this.ctx.store.db, {
      id,
      formId: form.id,
      connectorId: null,
      fields: { ...q.fields },
      input: { ...q.input },
      issues: q.issues,
      idempotencyKey: q.idempotencyKey,
      status: q.discardedAsSpam ? 'discarded' : 'waiting',
      leadId: null,
      receivedAt: at,
      resolvedAt: q.discardedAsSpam ? at : null,
      resolvedBy: q.discardedAsSpam ? `system:spam (${q.discardedAsSpam.check})` : null,
    });
    return id;
  }
}
