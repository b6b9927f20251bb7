import { isIP } from 'node:net';

/** A well-known key for trying the API against demo data; never use demo data in production. */
export const DEMO_API_KEY = 'lr_demo_0000000000000000000000000000';

/** Sign-in password of every demo person (admin@, head@, qualifier@ and each manager's e-mail). */
export const DEMO_PASSWORD = 'leadrouter-demo';

/**
 * Whether a listen address reaches only this machine: `localhost`, 127.0.0.0/8, ::1 (and the
 * IPv4-mapped form). Any other name counts as public, since what it resolves to may change.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || /^::ffff:127\./.test(h) || /^(0{1,4}:){7}0{0,3}1$/.test(h);
  return false;
}

/** What a start may do with the demo: load it, and let its published key and password in. */
export interface DemoPolicy {
  /** `serve --demo` may fill an empty database. */
  seed: boolean;
  /** The demo API key and the demo password are accepted. */
  credentials: boolean;
  /** Why not, for the log line; null when both are allowed. */
  refusal: string | null;
}

/**
 * The demo key and password are published in the README: they open a server only while it
 * listens on loopback, unless the operator opts in with `--demo-public` (LEADROUTER_DEMO_PUBLIC=true)
 * for a shared demo. A production start (NODE_ENV=production) never seeds and never accepts them.
 */
export function demoPolicy(options: { host: string; production: boolean; demoPublic: boolean }): DemoPolicy {
  if (options.production) {
    return { seed: false, credentials: false, refusal: 'NODE_ENV=production: no demo data is loaded and the demo API key and demo password are refused' };
  }
  if (isLoopbackHost(options.host) || options.demoPublic) return { seed: true, credentials: true, refusal: null };
  return {
    seed: false,
    credentials: false,
    refusal: `HOST=${options.host} is not loopback: no demo data is loaded and the demo API key and demo password are refused (pass --demo-public or set LEADROUTER_DEMO_PUBLIC=true for a shared demo)`,
  };
}
