package io.slmgen.shared.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import io.quarkus.liquibase.LiquibaseFactory;
import io.quarkus.liquibase.runtime.LiquibaseConfig;
import io.slmgen.shared.testing.TestDatabase;
import liquibase.Liquibase;

/**
 * SliceMigrator against a real PostgreSQL database (fresh per test) with the test changelogs in
 * db/migrator-test: Liquibase runs on a fresh database and after any change, and is skipped - never even
 * created - when the recorded fingerprint and row count match.
 */
class SliceMigratorTest {

    static final String DB = "slmgen_test_migrator_"
            + Integer.toHexString(Path.of("").toAbsolutePath().toString().hashCode() & 0xfffff);
    static final String TABLE = "mt_changelog";
    static final String LOCK_TABLE = "mt_changelog_lock";

    @BeforeEach
    void freshDatabase() throws Exception {
        TestDatabase.prepare(DB, "");
    }

    @Test
    void freshDatabaseIsMigratedAndTheFingerprintRecorded() throws Exception {
        Migrator m = migrator("db/migrator-test/v1.xml", List.of());

        assertTrue(m.migrator.attempt());

        assertTrue(m.migrator.isReady());
        assertEquals("migrated", m.migrator.status());
        assertFalse(m.migrator.liquibaseSkipped());
        assertEquals(1, m.factory.created.get());
        assertTrue(exists("public.mt_one"));
        assertEquals(1, count("select count(*) from " + TABLE));
        String comment = comment();
        assertNotNull(comment);
        assertTrue(comment.startsWith("slmgen changelog fingerprint "), comment);
        assertTrue(comment.endsWith(" rows 1"), comment);
    }

    @Test
    void upToDateSliceSkipsLiquibase() throws Exception {
        assertTrue(migrator("db/migrator-test/v1.xml", List.of()).migrator.attempt());
        // Liquibase clears LOCKEDBY whenever it takes and releases its lock: a marker left there shows
        // it never ran
        exec("update " + LOCK_TABLE + " set lockedby = 'marker' where id = 1");

        Migrator again = migrator("db/migrator-test/v1.xml", List.of());
        assertTrue(again.migrator.attempt());

        assertTrue(again.migrator.isReady());
        assertEquals("migrated", again.migrator.status());
        assertTrue(again.migrator.liquibaseSkipped());
        assertEquals(0, again.factory.created.get());
        assertEquals("marker", string("select lockedby from " + LOCK_TABLE + " where id = 1"));
    }

    @Test
    void newChangesetIsAppliedThenSkipped() throws Exception {
        assertTrue(migrator("db/migrator-test/v1.xml", List.of()).migrator.attempt());
        String v1 = comment();

        Migrator v2 = migrator("db/migrator-test/v2.xml", List.of());
        assertTrue(v2.migrator.attempt());
        assertFalse(v2.migrator.liquibaseSkipped());
        assertEquals(1, v2.factory.created.get());
        assertTrue(exists("public.mt_two"));
        assertEquals(2, count("select count(*) from " + TABLE));
        assertFalse(comment().equals(v1));
        assertTrue(comment().endsWith(" rows 2"), comment());

        Migrator v2again = migrator("db/migrator-test/v2.xml", List.of());
        assertTrue(v2again.migrator.attempt());
        assertTrue(v2again.migrator.liquibaseSkipped());
        assertEquals(0, v2again.factory.created.get());
    }

    @Test
    void deletedChangelogRowMakesLiquibaseRunAgain() throws Exception {
        assertTrue(migrator("db/migrator-test/v1.xml", List.of()).migrator.attempt());
        exec("delete from " + TABLE + " where id = 'one'");

        Migrator m = migrator("db/migrator-test/v1.xml", List.of());
        assertTrue(m.migrator.attempt());
        assertFalse(m.migrator.liquibaseSkipped());
        assertEquals(1, m.factory.created.get());
        assertEquals(1, count("select count(*) from " + TABLE + " where id = 'one'"));
    }

    @Test
    void otherContextsRunLiquibase() throws Exception {
        assertTrue(migrator("db/migrator-test/v1.xml", List.of()).migrator.attempt());

        Migrator m = migrator("db/migrator-test/v1.xml", List.of(), "supabase");
        assertTrue(m.migrator.attempt());
        assertFalse(m.migrator.liquibaseSkipped());
        assertEquals(1, m.factory.created.get());
    }

    @Test
    void waitsForRequiredTablesWithoutTouchingLiquibase() throws Exception {
        Migrator m = migrator("db/migrator-test/v1.xml", List.of("public.mt_required"));

        assertFalse(m.migrator.attempt());
        assertFalse(m.migrator.isReady());
        assertEquals("waiting for public.mt_required", m.migrator.status());
        assertEquals(0, m.factory.created.get());
        assertFalse(exists("public.mt_one"));

        exec("create table public.mt_required (id int)");
        assertTrue(m.migrator.attempt());
        assertTrue(m.migrator.isReady());
        assertEquals(1, m.factory.created.get());
        assertTrue(exists("public.mt_one"));
    }

    @Test
    void upToDateSliceStillWaitsForRequiredTables() throws Exception {
        exec("create table public.mt_required (id int)");
        assertTrue(migrator("db/migrator-test/v1.xml", List.of("public.mt_required")).migrator.attempt());
        exec("drop table public.mt_required");

        Migrator m = migrator("db/migrator-test/v1.xml", List.of("public.mt_required"));
        assertFalse(m.migrator.attempt());
        assertEquals("waiting for public.mt_required", m.migrator.status());
    }

    @Test
    void twoInstancesStartingAtOnceBothBecomeReady() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        // Two services are two processes; here both instances share one JVM, where Liquibase keeps its
        // lock services in a process-wide factory that every update's clean-up resets
        // (AbstractUpdateCommandStep.cleanUp -> LockServiceFactory.resetAll). When one instance's failed
        // attempt cleans up while the other holds the lock, the holder forgets it holds it and never
        // releases the row, and the other then waited Liquibase's default 5 minutes before failing
        // (seen in CI). Not waiting for the lock keeps the retry loop below - the service's own - in charge.
        String waitKey = "liquibase.changelogLockWaitTimeInMinutes";
        String previousWait = System.setProperty(waitKey, "0");
        try {
            // as the service does: a failed attempt (e.g. both creating Liquibase's own tables on a fresh
            // database, or the lock taken by the other) is retried; both must converge
            Callable<Boolean> start = () -> {
                SliceMigrator m = migrator("db/migrator-test/v2.xml", List.of()).migrator;
                for (int i = 0; i < 50 && !m.attempt(); i++) {
                    Thread.sleep(200);
                }
                return m.isReady();
            };
            Future<Boolean> a = pool.submit(start);
            Future<Boolean> b = pool.submit(start);
            assertTrue(a.get());
            assertTrue(b.get());
        } finally {
            pool.shutdownNow();
            if (previousWait == null) {
                System.clearProperty(waitKey);
            } else {
                System.setProperty(waitKey, previousWait);
            }
        }
        assertEquals(2, count("select count(*) from " + TABLE));
        assertTrue(comment().endsWith(" rows 2"), comment());
        Migrator m = migrator("db/migrator-test/v2.xml", List.of());
        assertTrue(m.migrator.attempt());
        assertTrue(m.migrator.liquibaseSkipped());
    }

    @Test
    void anInstanceLeavesTheSliceToAnotherThatIsMigratingIt() throws Exception {
        Migrator m = migrator("db/migrator-test/v2.xml", List.of());
        String table = SliceMigrator.changelogTable(m.factory.getConfiguration());
        try (Connection other = app(); PreparedStatement lock = other.prepareStatement("select pg_advisory_xact_lock(hashtext(?))")) {
            other.setAutoCommit(false);
            lock.setString(1, "slmgen-migration:" + table);
            lock.execute();

            assertFalse(m.migrator.attempt());
            assertEquals("waiting for another instance migrating " + table, m.migrator.status());
            assertEquals(0, m.factory.created.get(), "Liquibase never started");
        }
        // the other instance's transaction is over, and its lock with it
        assertTrue(m.migrator.attempt());
        assertEquals(2, count("select count(*) from " + TABLE));
    }

    // ---- fixtures ----

    record Migrator(SliceMigrator migrator, CountingFactory factory) {
    }

    /** Counts the Liquibase instances the migrator asks for (each one is a real update). */
    static class CountingFactory extends LiquibaseFactory {
        final AtomicInteger created = new AtomicInteger();

        CountingFactory(LiquibaseConfig config, DataSource dataSource) {
            super(config, dataSource, "<default>");
        }

        @Override
        public Liquibase createLiquibase() {
            created.incrementAndGet();
            return super.createLiquibase();
        }
    }

    static Migrator migrator(String changeLog, List<String> requires) {
        return migrator(changeLog, requires, "local");
    }

    static Migrator migrator(String changeLog, List<String> requires, String contexts) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(TestDatabase.jdbcUrl(DB));
        ds.setUser(TestDatabase.APP_USER);
        ds.setPassword(TestDatabase.APP_PASSWORD);

        LiquibaseConfig lb = new LiquibaseConfig();
        lb.changeLog = changeLog;
        lb.searchPath = Optional.empty();
        // as Quarkus' LiquibaseCreator leaves them when quarkus.liquibase.contexts/labels are not set
        lb.contexts = null;
        lb.labels = null;
        lb.changeLogParameters = Map.of();
        lb.databaseChangeLogTableName = TABLE;
        lb.databaseChangeLogLockTableName = LOCK_TABLE;
        lb.defaultCatalogName = Optional.empty();
        lb.defaultSchemaName = Optional.empty();
        lb.liquibaseCatalogName = Optional.empty();
        lb.liquibaseSchemaName = Optional.empty();
        lb.liquibaseTablespaceName = Optional.empty();
        lb.username = Optional.empty();
        lb.password = Optional.empty();
        lb.allowDuplicatedChangesetIdentifiers = Optional.empty();
        lb.secureParsing = true;

        SliceMigrator m = new SliceMigrator();
        CountingFactory factory = new CountingFactory(lb, ds);
        m.liquibaseFactory = factory;
        m.dataSource = ds;
        m.config = new Config(requires.isEmpty() ? Optional.empty() : Optional.of(requires), contexts);
        return new Migrator(m, factory);
    }

    record Config(Optional<List<String>> requires, String contexts) implements MigrationConfig {
        @Override
        public Duration retryInterval() {
            return Duration.ofSeconds(2);
        }
    }

    static Connection app() throws SQLException {
        return DriverManager.getConnection(TestDatabase.jdbcUrl(DB), TestDatabase.APP_USER, TestDatabase.APP_PASSWORD);
    }

    static void exec(String sql) throws SQLException {
        try (Connection c = app(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static String string(String sql) throws SQLException {
        try (Connection c = app(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static long count(String sql) throws SQLException {
        return Long.parseLong(string(sql));
    }

    static boolean exists(String table) throws SQLException {
        return string("select to_regclass('" + table + "') is not null").equals("t");
    }

    static String comment() throws SQLException {
        return string("select obj_description(to_regclass('" + TABLE + "'), 'pg_class')");
    }
}
