import type { Kysely } from 'kysely';
import { releaseDeliveryClaims } from '../../store/delivery-queries.js';
import { releaseOutboxClaims } from '../../store/outbox-queries.js';
import type { Database } from '../../store/schema.js';

interface Owed {
  table: 'outbox' | 'deliveries';
  ids: string[];
  /** The claim as written: a row released only if it still carries this one (and is not done). */
  until: string;
}

/**
 * Claims a failed pass could not give back. A pass whose database went away between claiming
 * rows and settling them cannot release them then (the database is gone); left alone, those
 * rows wait out their claim (a minute or two) after the database returns, so the notification
 * of a lead assigned just before an outage would go out last. The dispatcher keeps them here
 * and gives them back at the start of its next pass, before claiming anything new.
 *
 * Only claims whose work is all or nothing go here: an outbox message's fan-out and an in-app
 * delivery commit in the same transaction as their "done" mark, so releasing one never sends
 * it twice. A send to an outside channel whose result was not recorded keeps its claim.
 */
export class ClaimReleases {
  private owed: Owed[] = [];

  owe(table: Owed['table'], ids: string[], until: string): void {
    if (ids.length > 0) this.owed.push({ table, ids, until });
  }

  get size(): number {
    return this.owed.reduce((n, o) => n + o.ids.length, 0);
  }

  /** Gives back what is owed; what still fails stays owed (the claims run out meanwhile anyway). */
  async release(db: Kysely<Database>): Promise<number> {
    let released = 0;
    const owed = this.owed;
    this.owed = [];
    for (const [i, o] of owed.entries()) {
      try {
        released += o.table === 'outbox' ? await releaseOutboxClaims(db, o.ids, o.until) : await releaseDeliveryClaims(db, o.ids, o.until);
      } catch (error) {
        this.owed.push(...owed.slice(i));
        throw error;
      }
    }
    return released;
  }
}
