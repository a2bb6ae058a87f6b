-- API keys (only the SHA-256 of the secret is stored) and small named settings.
CREATE TABLE api_keys (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  hash       TEXT NOT NULL UNIQUE,
  scopes     JSONB NOT NULL DEFAULT '[]',
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);

CREATE TABLE settings (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
