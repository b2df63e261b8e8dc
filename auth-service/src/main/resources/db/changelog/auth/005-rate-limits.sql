-- Rate-limit windows shared by every auth-service replica (SPEC §4.1, §11: N pods give the limits of one).
-- One row per (bucket, key) is a fixed window: `hits` counted since `window_start`, until `expires_at`.
-- A hit is one atomic upsert (RateLimitRepository); expired rows are deleted by a periodic sweep, so the
-- table only holds the windows that are open. `key` is the SHA-256 (hex) of what is limited (a client
-- address, an email address, an account, a one-time code), so no address is stored in clear.
-- UNLOGGED: counters are disposable; after a crash PostgreSQL empties the table (every window restarts),
-- and no WAL is written for each hit.
CREATE UNLOGGED TABLE auth.rate_limits (
  bucket text NOT NULL,
  key text NOT NULL,
  hits integer NOT NULL,
  window_start timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  CONSTRAINT rate_limits_pkey PRIMARY KEY (bucket, key)
);
CREATE INDEX rate_limits_expires_at_idx ON auth.rate_limits (expires_at);
ALTER TABLE auth.rate_limits ENABLE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE, DELETE ON auth.rate_limits TO service_role;
