import { afterAll, describe } from 'vitest';
import { serviceUrl } from '../support/services.js';
import { postgresTestSchemas, sqliteTestFiles } from '../support/store-databases.js';
import { describeNotificationStoreConformance } from './notification-conformance.js';

// Both implementations run in every pass of .ci/run: this suite is about the stores themselves.
const files = sqliteTestFiles('notify-store');
describeNotificationStoreConformance('sqlite', files.openFresh, files.openSame);

const pgUrl = serviceUrl('pgUrl');
const schemas = postgresTestSchemas(pgUrl, 'notify');
describe.skipIf(!pgUrl)('PostgreSQL', () => {
  describeNotificationStoreConformance('postgres', schemas.openFresh, schemas.openSame);
});

afterAll(async () => {
  files.removeAll();
  await schemas.dropAll();
});
