import { postgresUrl } from '../../helpers/database.js';
import { moneyFaultSuite, STRIPE_PATHS } from './suite.js';

// The SQLite matrix in two files, so that CI's workers run its halves side by side; PostgreSQL's share
// (a second instance at every fourth write, a kill halfway) runs here too, as every e2e file runs both databases.
moneyFaultSuite('sqlite', STRIPE_PATHS);
if (postgresUrl) moneyFaultSuite('postgresql');
