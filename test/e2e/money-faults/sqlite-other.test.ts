import { moneyFaultSuite, OTHER_PATHS } from './suite.js';

// Stars, the chat's refund and the automatic refund; the Stripe paths are in sqlite-stripe.test.ts.
moneyFaultSuite('sqlite', OTHER_PATHS);
