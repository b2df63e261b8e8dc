package io.slmgen.shared.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import javax.sql.DataSource;

import io.quarkus.liquibase.LiquibaseFactory;
import io.quarkus.liquibase.runtime.LiquibaseConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

import liquibase.Liquibase;

/**
 * Migrates this service's slice of the shared database (SPEC §1). A slice that references another
 * slice's tables waits for them - the service stays up but not ready - and retries, so the five
 * services can start in any order and converge. Each service records its changesets in its own
 * Liquibase tables, so slices never contend for one changelog lock.
 *
 * <p>Start-up cost: loading Liquibase, parsing the changelogs, taking the lock and reading the changelog
 * table takes seconds of CPU on every start, although the slice is almost always up to date. So after a
 * successful update the migrator records a fingerprint of the changelog (its bytes and every file it
 * references, see {@link ChangelogFingerprint}) and the changelog table's row count as the comment of that
 * table; at start one query compares them, and when both match Liquibase is not touched at all. Any
 * change of a changelog or of a referenced SQL file, a fresh database, a deleted changelog row, or a
 * changelog the fingerprint cannot follow makes Liquibase run as before (its lock still serialises two
 * instances updating at once).
 */
@ApplicationScoped
public class SliceMigrator {

    private static final Logger LOG = Logger.getLogger(SliceMigrator.class);

    @Inject
    LiquibaseFactory liquibaseFactory;

    @Inject
    DataSource dataSource;

    @Inject
    MigrationConfig config;

    private volatile boolean ready;
    private volatile boolean liquibaseSkipped;
    private volatile String status = "not started";
    private ScheduledExecutorService retries;

    void onStart(@Observes StartupEvent event) {
        // first attempt inline: when the database and the slices it needs are there (tests, restarts)
        // the service is ready the moment it starts listening
        if (attempt()) {
            return;
        }
        retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "slice-migrator");
            t.setDaemon(true);
            return t;
        });
        long every = config.retryInterval().toMillis();
        retries.scheduleWithFixedDelay(() -> {
            if (attempt()) {
                retries.shutdown();
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (retries != null) {
            retries.shutdownNow();
        }
    }

    public boolean isReady() {
        return ready;
    }

    public String status() {
        return status;
    }

    /** True when the slice was found up to date by its fingerprint and Liquibase never ran. */
    public boolean liquibaseSkipped() {
        return liquibaseSkipped;
    }

    synchronized boolean attempt() {
        if (ready) {
            return true;
        }
        try {
            LiquibaseConfig lb = liquibaseFactory.getConfiguration();
            String table = changelogTable(lb);
            Optional<String> fingerprint = ChangelogFingerprint.compute(classLoader(), lb.changeLog,
                    table, config.contexts(), lb.labels == null ? "" : String.join(",", lb.labels));
            try (Connection c = dataSource.getConnection()) {
                List<String> missing = missingTables(c);
                if (!missing.isEmpty()) {
                    String now = "waiting for " + String.join(", ", missing);
                    if (!now.equals(status)) {
                        LOG.infof("schema: %s (created by another service)", now);
                    }
                    status = now;
                    return false;
                }
                if (fingerprint.isPresent() && upToDate(c, table, fingerprint.get())) {
                    liquibaseSkipped = true;
                    status = "migrated";
                    ready = true;
                    LOG.infof("schema: up to date (changelog fingerprint %s matches %s), Liquibase skipped",
                            fingerprint.get().substring(0, 12), table);
                    return true;
                }
            }
            // one instance of a slice migrates at a time, whatever Liquibase's own lock row says: replicas
            // starting together (or a replica whose Liquibase lock bookkeeping was reset in-process) would
            // otherwise both create Liquibase's tables or run a changeset; the other one retries later.
            // A transaction-level lock held by an open transaction on a connection of its own: it pins one
            // server connection even behind a transaction-mode pooler (pgbouncer), and ends with that
            // transaction, or with the connection if this process dies.
            try (Connection lock = dataSource.getConnection()) {
                lock.setAutoCommit(false);
                boolean locked;
                try {
                    locked = migrationLock(lock, table);
                    if (locked) {
                        try (Liquibase liquibase = liquibaseFactory.createLiquibase()) {
                            liquibase.update(new liquibase.Contexts(config.contexts()),
                                    liquibaseFactory.createLabels());
                        }
                    }
                } catch (Exception e) {
                    endLockTransaction(lock, e);
                    throw e;
                }
                endLockTransaction(lock, null);
                if (!locked) {
                    String now = "waiting for another instance migrating " + table;
                    if (!now.equals(status)) {
                        LOG.infof("schema: %s", now);
                    }
                    status = now;
                    return false;
                }
            }
            if (fingerprint.isPresent()) {
                record(table, fingerprint.get());
            }
            status = "migrated";
            ready = true;
            LOG.info("schema: migrated");
            return true;
        } catch (Exception e) {
            String now = "database not reachable or migration failed: " + rootMessage(e);
            if (!now.equals(status)) {
                LOG.warn("schema: " + now);
            }
            status = now;
            return false;
        }
    }

    private List<String> missingTables(Connection c) throws Exception {
        List<String> required = config.requires().orElse(List.of());
        List<String> missing = new java.util.ArrayList<>();
        if (required.isEmpty()) {
            return missing;
        }
        try (PreparedStatement ps = c.prepareStatement("select to_regclass(?) is not null")) {
            for (String table : required) {
                ps.setString(1, table);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        missing.add(table);
                    }
                }
            }
        }
        return missing;
    }

    private static final String MARK = "slmgen changelog fingerprint ";

    /** The table's comment holds this fingerprint and its row count is the one recorded with it. */
    private static boolean upToDate(Connection c, String table, String fingerprint) throws Exception {
        String comment;
        try (PreparedStatement ps = c.prepareStatement("select obj_description(to_regclass(?), 'pg_class')")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                comment = rs.getString(1);
            }
        }
        String expected = MARK + fingerprint + " rows ";
        if (comment == null || !comment.startsWith(expected)) {
            return false;
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from " + table)) {
            rs.next();
            return comment.equals(expected + rs.getLong(1));
        }
    }

    /**
     * Ends the lock's transaction (which releases the lock). When the migration itself failed, a failure
     * here (the connection broke) is attached to it, never put in its place: the readiness status must
     * show why the migration failed.
     */
    private static void endLockTransaction(Connection lock, Exception failure) throws SQLException {
        try {
            lock.rollback();
            lock.setAutoCommit(true);
        } catch (SQLException e) {
            if (failure == null) {
                throw e;
            }
            failure.addSuppressed(e);
        }
    }

    /** The slice's migration lock (keyed by its changelog table) in {@code c}'s transaction, or false when taken. */
    private static boolean migrationLock(Connection c, String table) throws Exception {
        try (PreparedStatement s = c.prepareStatement("select pg_try_advisory_xact_lock(hashtext(?))")) {
            s.setString(1, "slmgen-migration:" + table);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** After a successful update: the fingerprint and the row count it goes with, as the table's comment. */
    private void record(String table, String fingerprint) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            long rows;
            try (ResultSet rs = s.executeQuery("select count(*) from " + table)) {
                rs.next();
                rows = rs.getLong(1);
            }
            s.execute("comment on table " + table + " is '" + MARK + fingerprint + " rows " + rows + "'");
        } catch (Exception e) {
            // e.g. not the table's owner: correct without it, Liquibase simply runs at the next start too
            LOG.debugf("schema: changelog fingerprint not recorded: %s", rootMessage(e));
        }
    }

    /** The changelog table as SQL: Liquibase's name, schema-qualified when configured, each part quoted. */
    static String changelogTable(LiquibaseConfig lb) {
        String name = quote(lb.databaseChangeLogTableName.toLowerCase(java.util.Locale.ROOT));
        Optional<String> schema = lb.liquibaseSchemaName.or(() -> lb.defaultSchemaName);
        return schema.map(s -> quote(s) + "." + name).orElse(name);
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static ClassLoader classLoader() {
        ClassLoader tccl = Thread.currentThread().getContextClassLoader();
        return tccl != null ? tccl : SliceMigrator.class.getClassLoader();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
