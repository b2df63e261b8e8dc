package io.slmgen.jobs.service;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.slmgen.jobs.config.JobsConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;

/**
 * Hears every replica's stored job events (SPEC §7): a dedicated PostgreSQL connection LISTENs on the
 * channel that job_events' insert trigger NOTIFYs at commit (changeset job-events-notify), and tells
 * {@link JobEventBus} which job has something new. The connection is separate from the request pool
 * (a pooled connection cannot hold a LISTEN) and configurable on its own (slmgen.jobs.events.*):
 * LISTEN needs a direct or session-mode connection, never a transaction-mode pooler.
 * <p>
 * When the connection is lost (PostgreSQL restarted, the backend was terminated) it is re-opened with
 * a growing delay, forever; once LISTENing again every open job is read again, which delivers what
 * was stored while nobody listened. A first connection that fails is retried the same way.
 */
@ApplicationScoped
public class JobEventListener {

    private static final Logger LOG = Logger.getLogger(JobEventListener.class);
    /** The channel the trigger of changeset job-events-notify sends on. */
    public static final String CHANNEL = "slmgen_job_events";
    /** How the LISTEN connection shows in pg_stat_activity. */
    public static final String APPLICATION_NAME = "slmgen-jobs-events";

    private final JobEventBus bus;
    private final Vertx vertx;
    private final JobsConfig.Events config;
    private final String datasourceUrl;
    private final Optional<String> datasourceUser;
    private final Optional<String> datasourcePassword;
    private volatile PgSubscriber subscriber;
    private volatile boolean stopped;
    private volatile boolean listenedBefore;

    public JobEventListener(JobEventBus bus, Vertx vertx, JobsConfig config,
                            @ConfigProperty(name = "quarkus.datasource.reactive.url") String datasourceUrl,
                            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> datasourceUser,
                            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> datasourcePassword) {
        this.bus = bus;
        this.vertx = vertx;
        this.config = config.events();
        this.datasourceUrl = datasourceUrl;
        this.datasourceUser = datasourceUser;
        this.datasourcePassword = datasourcePassword;
    }

    void onStart(@Observes StartupEvent ev) {
        PgSubscriber s = PgSubscriber.subscriber(vertx, options());
        s.reconnectPolicy(attempt -> stopped ? -1L : delayMillis(attempt));
        // the policy never gives up while the service runs: the subscriber closes only at shutdown
        s.closeHandler(v -> LOG.debug("the job events listener is closed"));
        s.channel(CHANNEL)
                .subscribeHandler(v -> {
                    boolean again = listenedBefore;
                    listenedBefore = true;
                    LOG.infof("listening for job events on channel %s%s", CHANNEL, again ? " (again)" : "");
                    // whatever was stored while nobody listened is read now
                    bus.resync();
                })
                .handler(this::notified);
        subscriber = s;
        connect(0);
    }

    void onStop(@Observes ShutdownEvent ev) {
        stopped = true;
        PgSubscriber s = subscriber;
        if (s != null) {
            s.close();
        }
    }

    private void connect(int attempt) {
        PgSubscriber s = subscriber;
        if (stopped || s == null) {
            return;
        }
        s.connect().onFailure(t -> {
            if (stopped) {
                return;
            }
            long wait = delayMillis(attempt);
            LOG.warnf("the job events listener cannot connect (%s): retrying in %d ms", t.getMessage(), wait);
            vertx.setTimer(Math.max(1, wait), id -> connect(attempt + 1));
        });
    }

    private void notified(String payload) {
        try {
            JsonObject o = new JsonObject(payload);
            bus.stored(UUID.fromString(o.getString("job_id")), o.getLong("seq", Long.MAX_VALUE));
        } catch (RuntimeException e) {
            LOG.debugf("ignoring a malformed job event notification: %s", e.getMessage());
        }
    }

    long delayMillis(int attempt) {
        long first = Math.max(1, config.reconnectDelay().toMillis());
        long max = Math.max(first, config.reconnectMaxDelay().toMillis());
        long d = first << Math.min(attempt, 20);
        return Math.min(d, max);
    }

    /**
     * The LISTEN connection's options: slmgen.jobs.events.listen-url (else the request pool's URL), its
     * user and password (else the datasource's), tagged with {@link #APPLICATION_NAME}.
     */
    PgConnectOptions options() {
        String url = config.listenUrl().orElse(datasourceUrl).strip();
        if (url.startsWith("vertx-reactive:")) {
            url = url.substring("vertx-reactive:".length());
        }
        int comma = url.indexOf(',');
        if (comma > 0) {
            // several hosts for the pool: the LISTEN connection takes the first
            url = url.substring(0, comma);
        }
        PgConnectOptions o = PgConnectOptions.fromUri(url);
        // explicit listen user/password first, then the URL's, then the datasource's (PgConnectOptions
        // has placeholder defaults, so whether the URL names them is read from the URL itself)
        String userInfo = java.net.URI.create(url).getRawUserInfo();
        boolean urlUser = userInfo != null && !userInfo.isEmpty() && userInfo.charAt(0) != ':';
        boolean urlPassword = userInfo != null && userInfo.indexOf(':') >= 0;
        config.listenUser().or(() -> urlUser ? Optional.empty() : datasourceUser).ifPresent(o::setUser);
        config.listenPassword().or(() -> urlPassword ? Optional.empty() : datasourcePassword).ifPresent(o::setPassword);
        o.addProperty("application_name", APPLICATION_NAME);
        // a dead peer must not keep the listener waiting forever: TCP keep-alive notices it
        o.setTcpKeepAlive(true);
        o.setConnectTimeout((int) Duration.ofSeconds(10).toMillis());
        return o;
    }
}
