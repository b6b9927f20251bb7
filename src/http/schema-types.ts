import { z } from 'zod';

/**
 * An ISO-8601 instant with an offset, within the years both databases store (0001–9999 once
 * converted to UTC); PostgreSQL refuses what lies beyond and must not turn that into a 500.
 */
export const instantSchema = z.iso.datetime({ offset: true }).refine((s) => {
  const time = new Date(s);
  // A malformed value already has its own issue from the format check.
  if (Number.isNaN(time.getTime())) return true;
  const year = time.getUTCFullYear();
  return year >= 1 && year <= 9999;
}, 'a date between the years 0001 and 9999');

/** Rule set versions are 32-bit integers in the database. */
export const versionSchema = z.coerce.number().int().min(1).max(2_147_483_647);
