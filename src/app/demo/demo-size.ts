/**
 * How many leads the demo holds by default: two weeks of history, each lead worked through the
 * use cases (about 5 ms a lead), plus today's. A module of its own so the CLI's help text does
 * not load the demo's whole set-up to print it.
 */
export const DEMO_LEADS = 1200;
