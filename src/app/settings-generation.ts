/**
 * A counter of setting changes made in this process. Caches of settings (SLA policies and
 * holidays, the qualification setting) remember the generation they were filled in and count
 * as stale once it moves; the intake thread, which has caches of its own, is told the
 * generation with every batch, so a change made through the API applies to the next lead.
 */
let generation = 0;

export function settingsGeneration(): number {
  return generation;
}

/** Called after a setting that a cache holds was changed. */
export function settingsChanged(): void {
  generation++;
}

/** In the intake thread: adopt the generation of the process that sent the batch. */
export function adoptSettingsGeneration(value: number): void {
  generation = value;
}
