package io.slmgen.auth;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;

import io.slmgen.shared.testing.TestDatabase;

/**
 * A database shaped like a hosted Supabase project before this service runs: schema auth with GoTrue's
 * own auth.users (a minimal one, owned by the platform), nothing else of ours.
 */
public class HostedDatabase extends TestDatabase {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = super.start();
        try (Connection c = TestDatabase.superuser(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA auth");
            s.execute("CREATE TABLE auth.users (id uuid PRIMARY KEY, email varchar(255), "
                    + "raw_user_meta_data jsonb NOT NULL DEFAULT '{}'::jsonb, raw_app_meta_data jsonb NOT NULL DEFAULT '{}'::jsonb)");
            s.execute("GRANT USAGE, CREATE ON SCHEMA auth TO " + TestDatabase.APP_USER);
            s.execute("GRANT SELECT, REFERENCES, TRIGGER ON auth.users TO " + TestDatabase.APP_USER);
        } catch (Exception e) {
            throw new IllegalStateException("could not shape the hosted database: " + e.getMessage(), e);
        }
        return config;
    }
}
