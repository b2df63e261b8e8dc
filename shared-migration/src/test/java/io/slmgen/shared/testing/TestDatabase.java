package io.slmgen.shared.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.resource.CompositeResourceAccessor;
import liquibase.resource.DirectoryResourceAccessor;

/**
 * A fresh PostgreSQL database per test run of a service: the cluster roles (as superuser), an empty
 * database owned by the services' login role, and - so a service's tests run alone - the slices of
 * other services it references, migrated with those services' own changelogs straight from their
 * source folders (no copies). Args: {@code name} (the database is {@code slmgen_test_<name>_<checkout tag>}) and
 * {@code slices} (e.g. {@code "auth,jobs"}).
 */
public class TestDatabase implements QuarkusTestResourceLifecycleManager {

    public static final String HOST = env("DB_HOST", "127.0.0.1");
    public static final String PORT = env("DB_PORT", "5432");
    public static final String APP_USER = env("DB_USER", "slmgen");
    public static final String APP_PASSWORD = env("DB_PASSWORD", "slmgen");
    public static final String SUPERUSER = env("PG_SUPERUSER", "postgres");
    /** Empty with trust auth (these machines); deploy/scripts/ensure-postgres.sh sets it otherwise. */
    public static final String SUPERUSER_PASSWORD = env("PG_SUPERUSER_PASSWORD", "");

    private static volatile String currentDatabase;
    private String name;
    private String slices;

    @Override
    public void init(Map<String, String> args) {
        name = args.getOrDefault("name", "default");
        slices = args.getOrDefault("slices", "");
    }

    @Override
    public Map<String, String> start() {
        String db = "slmgen_test_" + name + "_" + checkoutTag();
        try {
            prepare(db, slices);
        } catch (Exception e) {
            throw new IllegalStateException("could not prepare test database " + db + ": " + e.getMessage(), e);
        }
        currentDatabase = db;
        return Map.of(
                "quarkus.datasource.jdbc.url", jdbcUrl(db),
                "quarkus.datasource.reactive.url", "postgresql://" + HOST + ":" + PORT + "/" + db,
                "quarkus.datasource.username", APP_USER,
                "quarkus.datasource.password", APP_PASSWORD,
                // also here (not only in this test-jar's config file): a @QuarkusIntegrationTest runs the
                // built service, which has no test-jar and no built-in secret (SecretPolicy)
                "slmgen.jwt.secret", TokenMinter.SECRET);
    }

    @Override
    public void stop() {
    }

    /** The database the running test app uses. */
    public static String database() {
        return currentDatabase;
    }

    public static String jdbcUrl(String db) {
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + db;
    }

    /** A superuser connection to the test database: for arranging rows and reading state in tests. */
    public static Connection superuser() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(currentDatabase), SUPERUSER, SUPERUSER_PASSWORD);
    }

    /** A connection as the services' login role (what the services themselves use). */
    public static Connection app() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(currentDatabase), APP_USER, APP_PASSWORD);
    }

    public static void prepare(String db, String slices) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), SUPERUSER, SUPERUSER_PASSWORD);
             Statement s = c.createStatement()) {
            s.execute("select set_config('slmgen.app_user', '" + APP_USER.replace("'", "''") + "', false), "
                    + "set_config('slmgen.app_password', '" + APP_PASSWORD.replace("'", "''") + "', false)");
            s.execute(resource("db/platform/roles.sql"));
            s.execute("DROP DATABASE IF EXISTS \"" + db + "\" WITH (FORCE)");
            s.execute("CREATE DATABASE \"" + db + "\" OWNER \"" + APP_USER + "\"");
        }
        for (String slice : slices.split(",")) {
            if (!slice.isBlank()) {
                migrateSlice(db, slice.trim());
            }
        }
    }

    /** Runs another service's changelog, recorded in that service's own changelog tables. */
    static void migrateSlice(String db, String slice) throws Exception {
        Path resources = repoRoot().resolve(slice + "-service/src/main/resources");
        try (Connection c = DriverManager.getConnection(jdbcUrl(db), APP_USER, APP_PASSWORD)) {
            Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(c));
            database.setDatabaseChangeLogTableName(slice + "_changelog");
            database.setDatabaseChangeLogLockTableName(slice + "_changelog_lock");
            try (DirectoryResourceAccessor dir = new DirectoryResourceAccessor(resources);
                 ClassLoaderResourceAccessor cp = new ClassLoaderResourceAccessor(TestDatabase.class.getClassLoader())) {
                Liquibase lb = new Liquibase("db/changelog/" + slice + "-changelog.xml",
                        new CompositeResourceAccessor(dir, cp), database);
                lb.update(new Contexts("local"), new LabelExpression());
            }
        }
    }

    /**
     * A short tag of this checkout's path, so two clones (a developer's tree and a CI clone) can run
     * their tests at the same time on one PostgreSQL without dropping each other's databases.
     */
    static String checkoutTag() {
        return Integer.toHexString(repoRoot().toString().hashCode() & 0xfffff);
    }

    static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("shared-jwt/pom.xml"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find the repository root from " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    private static String resource(String path) throws Exception {
        try (var in = TestDatabase.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
