import { moneyFaultSuite, STRIPE_PATHS } from './suite.js';

// The SQLite matrix in two files, so that CI's workers run its halves side by side.
moneyFaultSuite('sqlite', STRIPE_PATHS);
