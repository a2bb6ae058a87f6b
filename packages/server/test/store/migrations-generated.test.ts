import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERATED_FILE, renderMigrationsModule } from '../../scripts/gen-migrations.js';
import { POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS } from '../../src/store/migrations/sql.generated.js';
import { pendingMigrations } from '../../src/store/migrations/migration.js';

describe('migrations shipped in the build', () => {
  it('sql.generated.ts matches the .sql files (run scripts/gen-migrations.ts after changing them)', () => {
    expect(readFileSync(GENERATED_FILE, 'utf8')).toBe(renderMigrationsModule());
  });

  it('both dialects have the same numbered migrations, in order', () => {
    const numbers = (list: typeof SQLITE_MIGRATIONS) => list.map((m) => m.name);
    expect(numbers(SQLITE_MIGRATIONS)).toEqual(numbers(POSTGRES_MIGRATIONS));
    expect(SQLITE_MIGRATIONS.map((m) => m.version)).toEqual([...SQLITE_MIGRATIONS.map((m) => m.version)].sort((a, b) => a - b));
    expect(SQLITE_MIGRATIONS.slice(0, 2).map((m) => m.name)).toEqual(['0001_jobs', '0002_keys']);
  });

  it('plans only the migrations not yet applied, and refuses versions it does not know', () => {
    expect(pendingMigrations(SQLITE_MIGRATIONS, []).map((m) => m.version)).toEqual(SQLITE_MIGRATIONS.map((m) => m.version));
    expect(pendingMigrations(SQLITE_MIGRATIONS, [1]).map((m) => m.version)).toEqual(SQLITE_MIGRATIONS.slice(1).map((m) => m.version));
    expect(() => pendingMigrations(SQLITE_MIGRATIONS, [1, 2, 777])).toThrow(/migration 777 .* newer release/);
  });
});
