import nodemailer from 'nodemailer';
import { localeOf } from '../../../core/i18n/locale.js';
import { messagesFor } from '../../../core/i18n/messages.js';
import { ChannelNotConfigured, Undeliverable, Unreachable, textFor, type PersonChannel } from './channel.js';

export interface EmailSettings {
  /** smtp://user:pass@host:port or smtps://…; unset means e-mail is not configured. */
  smtpUrl: string | undefined;
  from: string;
}

export interface EmailChannel extends PersonChannel {
  close(): void;
}

/** E-mail over SMTP; a server that is down or refuses the message is a failed attempt, retried later. */
export function emailChannel(settings: EmailSettings): EmailChannel {
  const transport = settings.smtpUrl
    ? nodemailer.createTransport({ url: settings.smtpUrl, connectionTimeout: 5_000, greetingTimeout: 5_000, socketTimeout: 15_000 } as nodemailer.TransportOptions)
    : null;
  const notConfigured = transport ? undefined : 'E-mail is not configured: set SMTP_URL (and SMTP_FROM)';
  return {
    notConfigured,
    async send(attempt, person) {
      if (!transport) throw new ChannelNotConfigured(notConfigured);
      if (!person.email) throw new Undeliverable(`User ${person.id} has no e-mail address`);
      const locale = localeOf(person.locale);
      const text = textFor(attempt.message, locale);
      const words = messagesFor(locale).email;
      const leadId = attempt.message.payload.leadId;
      const mail = {
        from: settings.from,
        to: person.email,
        subject: text.length > 150 ? `${text.slice(0, 147)}...` : text,
        text: [text, '', `${words.event}: ${attempt.message.topic}`, ...(leadId ? [`${words.lead}: ${leadId}`] : [])].join('\n'),
        // The same message id on a retry lets mail clients drop a copy the server did accept.
        messageId: `<${attempt.deliveryId}@leadrouter>`,
        headers: { 'X-Leadrouter-Event': attempt.message.topic, 'X-Leadrouter-Delivery': attempt.deliveryId },
      };
      try {
        await transport.sendMail(mail);
      } catch (error) {
        throw unreachable(error) ? new Unreachable(error) : error;
      }
    },
    close() {
      transport?.close();
    },
  };
}

/**
 * nodemailer's codes for a server that cannot be reached or dropped the connection (refused,
 * timed out, DNS, socket errors), as opposed to one that answered and refused the message.
 */
const CONNECTION_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET']);

function unreachable(error: unknown): boolean {
  const code = error && typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && CONNECTION_CODES.has(code);
}
