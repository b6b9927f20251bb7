import type { LeadRecord } from '../../store/lead-queries.js';
import type { InlineButton, InlineKeyboard } from './bot-api.js';
import { escapeHtml, type BotTexts } from './bot-texts.js';

/**
 * callback_data is 1–64 bytes and may be forged by a client: it carries only an action and a
 * lead id, and every press is checked again by the use case it calls, as the web app's would be.
 */
export type ButtonAction = 'take' | 'later';
const PREFIX: Record<ButtonAction, string> = { take: 'tk:', later: 'cl:' };
const LEAD_ID = /^[0-9A-Za-z_-]{1,60}$/;

export function callbackData(action: ButtonAction, leadId: string): string {
  const data = `${PREFIX[action]}${leadId}`;
  if (Buffer.byteLength(data) > 64) throw new Error(`callback_data over 64 bytes: ${data}`);
  return data;
}

export function parseCallbackData(data: string | undefined): { action: ButtonAction; leadId: string } | null {
  if (!data || Buffer.byteLength(data) > 64) return null;
  for (const action of ['take', 'later'] as const) {
    if (!data.startsWith(PREFIX[action])) continue;
    const leadId = data.slice(PREFIX[action].length);
    return LEAD_ID.test(leadId) ? { action, leadId } : null;
  }
  return null;
}

/** The lead card in the web app; null without PUBLIC_URL (then there is no «Открыть» button). */
export function leadUrl(publicUrl: string | undefined, leadId: string): string | null {
  return publicUrl ? `${publicUrl.replace(/\/+$/, '')}/leads/${encodeURIComponent(leadId)}` : null;
}

/** What a manager needs to decide on a lead at a glance: who, which company, how to reach, from where. */
export function leadText(lead: LeadRecord, t: BotTexts, kind: 'offer' | 'lead'): string {
  const who = lead.name ?? lead.companyName ?? lead.phone ?? lead.email ?? lead.id;
  const lines = [`${kind === 'offer' ? t.poolLead : t.newLead}: <b>${escapeHtml(who)}</b>`];
  if (lead.companyName && lead.companyName !== who) lines.push(escapeHtml(lead.companyName));
  const reach = [lead.phone, lead.email].filter((v): v is string => Boolean(v) && v !== who);
  if (reach.length > 0) lines.push(escapeHtml(reach.join(' · ')));
  if (lead.source) lines.push(`${t.source}: ${escapeHtml(lead.source)}`);
  if (lead.comment) lines.push(`<i>${escapeHtml(lead.comment.length > 300 ? `${lead.comment.slice(0, 300)}…` : lead.comment)}</i>`);
  return lines.join('\n');
}

export function openButton(t: BotTexts, url: string | null): InlineButton[] {
  return url ? [{ text: t.open, url }] : [];
}

/** A pool lead: «Взять» and «Открыть». */
export function offerKeyboard(t: BotTexts, leadId: string, url: string | null): InlineKeyboard {
  return [[{ text: t.take, callback_data: callbackData('take', leadId) }, ...openButton(t, url)]];
}

/** A lead of one's own: «Перезвонить позже» and «Открыть». */
export function ownLeadKeyboard(t: BotTexts, leadId: string, url: string | null): InlineKeyboard {
  return [[{ text: t.callLater, callback_data: callbackData('later', leadId) }, ...openButton(t, url)]];
}

export function openOnlyKeyboard(t: BotTexts, url: string | null): InlineKeyboard {
  return url ? [openButton(t, url)] : [];
}
