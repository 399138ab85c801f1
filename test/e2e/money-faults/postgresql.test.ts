import { describe, it } from 'vitest';
import { postgresUrl } from '../../helpers/database.js';
import { moneyFaultSuite } from './suite.js';

// PostgreSQL's share: a second instance at every fourth write and a kill halfway (see faultPlan).
if (postgresUrl) moneyFaultSuite('postgresql');
else
  describe('money faults on PostgreSQL', () => {
    it.todo('needs TEST_DATABASE_URL');
  });
