import { HeadwayError } from '@headway/protocol';

/** One numbered schema change of one dialect; the SQL text ships inside the build (sql.generated.ts). */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Migrations not applied yet, oldest first. Throws when the database is newer than this code. */
export function pendingMigrations(known: readonly Migration[], appliedVersions: readonly number[]): Migration[] {
  assertSchemaNotNewer(known, appliedVersions);
  const applied = new Set(appliedVersions);
  return [...known].sort((a, b) => a.version - b.version).filter((m) => !applied.has(m.version));
}

/** A database migrated by a newer release may hold data this code would misread: refuse to use it. */
export function assertSchemaNotNewer(known: readonly Migration[], appliedVersions: readonly number[]): void {
  const knownVersions = new Set(known.map((m) => m.version));
  const unknown = appliedVersions.filter((v) => !knownVersions.has(v));
  if (unknown.length === 0) return;
  const newest = Math.max(...known.map((m) => m.version), 0);
  throw new HeadwayError(
    'NOT_READY',
    `the database schema has migration ${Math.max(...unknown)} but this Headway knows migrations up to ${newest}: ` +
      'it was upgraded by a newer release; run that release (or a newer one), or restore a backup taken before the upgrade',
    { unknownVersions: unknown, newestKnown: newest },
  );
}
