import type { AppContext } from '../app/app-context.js';
import { RoutingSnapshotLoader } from '../app/routing/routing-snapshot.js';
import { sweepSla, type SweepOptions, type SweepReport } from '../app/sla/sweep-sla.js';
import { processMetrics } from '../app/telemetry/metrics.js';

export type { SweepReport };

export interface SlaSweeperLogger {
  info?(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface SlaSweeperOptions extends SweepOptions {
  /** Pause between sweeps. */
  intervalMs: number;
  logger?: SlaSweeperLogger;
}

export interface SlaSweeper {
  /** Stops the loop after the sweep in flight. */
  stop(): Promise<void>;
  /** Runs one sweep now (after the one in flight). */
  sweepNow(): Promise<SweepReport>;
}

/**
 * The SLA loop, inside the server or as a separate worker process; several may run against
 * one database at once (each breach is claimed in the database, see sweepSla).
 */
export function startSlaSweeper(ctx: AppContext, options: SlaSweeperOptions): SlaSweeper {
  const snapshots = new RoutingSnapshotLoader();
  let chain: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  const sweepNow = (): Promise<SweepReport> => {
    const run = chain.then(() => sweepSla(ctx, snapshots, options));
    chain = run.catch(() => undefined);
    return run;
  };

  const schedule = (delayMs: number): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      let backlog = false;
      sweepNow()
        .then(({ errors, ...report }) => {
          backlog = report.more;
          processMetrics.recordSweep(report);
          if (report.warned + report.breached > 0) options.logger?.info?.(report, 'SLA sweep');
          if (errors.length > 0) options.logger?.error({ err: errors[0], ...report }, 'some SLA breaches could not be handled; they are tried again next sweep');
        })
        .catch((error: unknown) => options.logger?.error({ err: error }, 'SLA sweep failed; trying again next time'))
        // A sweep that stopped at its page limit left due clocks behind: the next one starts now.
        .finally(() => schedule(backlog ? 0 : options.intervalMs));
    }, delayMs);
  };
  schedule(options.intervalMs);

  return {
    sweepNow,
    async stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      await chain;
    },
  };
}
