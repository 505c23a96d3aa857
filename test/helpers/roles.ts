import { urlAs } from '../../src/db/roles.ts';

/** The role the app runs as in tests: made once per run by the global set-up, granted on the template database. */
export const testAppRole = 'cchc_app_test';
export const testAppPassword = 'cchc-app-test-password';

/** The same database as `ownerUrl`, reached as the app's role. */
export function appUrlFor(ownerUrl: string): string {
  return urlAs(ownerUrl, testAppRole, testAppPassword);
}
