/**
 * Telegram's limits on a bot (Bot FAQ): about one message a second in one chat, about thirty a
 * second over all chats (short bursts tolerated); past them it answers 429 with `retry_after`.
 * The pace books a send time for each message: in a chat, a burst of `perChatBurst` and then one
 * every `perChatMs` (a token bucket kept as its theoretical arrival time); any message one
 * thirtieth of a second after the previous one anywhere; a 429 closes the chat until it ends.
 * A message whose slot is further off than `maxWaitMs` is not booked: its delivery waits in the
 * outbox until then instead of holding a sending slot.
 */
export interface PaceOptions {
  perChatMs: number;
  /** Messages a quiet chat may get at once before the pace applies. */
  perChatBurst: number;
  globalGapMs: number;
  maxWaitMs: number;
}

export const TELEGRAM_PACE: PaceOptions = { perChatMs: 1000, perChatBurst: 3, globalGapMs: Math.ceil(1000 / 30), maxWaitMs: 1500 };

export type PaceBooking = { kind: 'go'; at: number } | { kind: 'later'; at: number };

export class SendPace {
  private readonly nextInChat = new Map<string, number>();
  private nextAnywhere = 0;

  constructor(private readonly options: PaceOptions = TELEGRAM_PACE) {}

  /** When a message to `chat` may go, booked when within maxWaitMs of `now`. */
  book(chat: string, now: number): PaceBooking {
    const { perChatMs, perChatBurst } = this.options;
    // The chat's bucket is full again once its theoretical arrival time is in the past.
    const tat = Math.max(now, this.nextInChat.get(chat) ?? 0);
    const at = Math.max(now, tat - (perChatBurst - 1) * perChatMs, this.nextAnywhere);
    if (at - now > this.options.maxWaitMs) return { kind: 'later', at };
    this.nextInChat.set(chat, Math.max(tat, at) + perChatMs);
    this.nextAnywhere = at + this.options.globalGapMs;
    if (this.nextInChat.size > 10_000) this.forgetPast(now);
    return { kind: 'go', at };
  }

  /** Telegram said 429: nothing more to this chat before `until`. */
  closeChat(chat: string, until: number): void {
    this.nextInChat.set(chat, Math.max(this.nextInChat.get(chat) ?? 0, until + (this.options.perChatBurst - 1) * this.options.perChatMs));
  }

  private forgetPast(now: number): void {
    for (const [chat, at] of this.nextInChat) if (at < now) this.nextInChat.delete(chat);
  }
}
