package io.slmgen.shared.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.liquibase.LiquibaseFactory;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.slmgen.shared.identity.SharedConfig;
import liquibase.Liquibase;

/**
 * Migrates this service's slice of the shared database (SPEC §1). A slice that references another
 * slice's tables waits for them - the service stays up but not ready - and retries, so the five
 * services can start in any order and converge. Each service records its changesets in its own
 * Liquibase tables, so slices never contend for one changelog lock.
 */
@ApplicationScoped
public class SliceMigrator {

    private static final Logger LOG = Logger.getLogger(SliceMigrator.class);

    @Inject
    LiquibaseFactory liquibaseFactory;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    SharedConfig config;

    private volatile boolean ready;
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
        long every = config.migration().retryInterval().toMillis();
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

    synchronized boolean attempt() {
        if (ready) {
            return true;
        }
        try {
            List<String> missing = missingTables();
            if (!missing.isEmpty()) {
                String now = "waiting for " + String.join(", ", missing);
                if (!now.equals(status)) {
                    LOG.infof("schema: %s (created by another service)", now);
                }
                status = now;
                return false;
            }
            try (Liquibase liquibase = liquibaseFactory.createLiquibase()) {
                liquibase.update(new liquibase.Contexts(config.migration().contexts()),
                        liquibaseFactory.createLabels());
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

    private List<String> missingTables() throws Exception {
        List<String> required = config.migration().requires().orElse(List.of());
        List<String> missing = new java.util.ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select to_regclass(?) is not null")) {
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

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
