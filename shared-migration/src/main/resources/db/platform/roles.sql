-- Cluster-level set-up, run once as a PostgreSQL superuser before the services start
-- (deploy/scripts/db-init.sh, and the tests' TestDatabase). Idempotent and safe to run concurrently.
-- The caller first sets slmgen.app_user and slmgen.app_password (the services' login role).
-- On hosted Supabase these roles exist already: this is not run there.
DO $roles$
DECLARE
  app text := current_setting('slmgen.app_user');
  pw  text := current_setting('slmgen.app_password');
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('slmgen-roles'));
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = app) THEN
    EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', app, pw);
  END IF;
  -- INHERIT so the login role gets pg_database_owner's rights on schema public (PostgreSQL 15);
  -- it owns the tables it migrates anyway, and BYPASSRLS is an attribute, never inherited
  EXECUTE format('ALTER ROLE %I INHERIT', app);
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'anon') THEN
    CREATE ROLE anon NOLOGIN NOINHERIT;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticated') THEN
    CREATE ROLE authenticated NOLOGIN NOINHERIT;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'service_role') THEN
    CREATE ROLE service_role NOLOGIN NOINHERIT BYPASSRLS;
  END IF;
  EXECUTE format('GRANT anon, authenticated, service_role TO %I', app);
END
$roles$;
