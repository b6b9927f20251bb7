import { setPasswordHashCost } from '../../src/app/people/passwords.js';

/**
 * Every test process hashes passwords at a low scrypt cost: the suite signs people in hundreds
 * of times, and nothing it checks depends on the cost (test/http/passwords.test.ts checks the
 * production cost and the upgrade on sign-in explicitly). Servers the tests start as processes
 * keep the production cost.
 */
setPasswordHashCost({ N: 2 ** 10, r: 8, p: 1 });
