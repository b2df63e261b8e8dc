package io.slmgen.jobs.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** jobs-service settings (application.properties documents each key and its environment variable). */
@ConfigMapping(prefix = "slmgen.jobs")
public interface JobsConfig {

    /** Public base URL of the suite (SUPABASE_URL): progress callback and Colab links need it. */
    Optional<String> publicUrl();

    /** Public storage base including /storage/v1 (SUPABASE_STORAGE_URL); default {public-url}/storage/v1. */
    Optional<String> storagePublicUrl();

    /** Storage base used when neither public URL is configured (the storage-service itself). */
    String storageServiceUrl();

    /** Seconds a notebook link from create / GET .../notebook stays valid. */
    @WithDefault("3600")
    int notebookUrlExpirySeconds();

    /**
     * Seconds the dataset link inside a notebook stays valid. The public notebook route (Colab) serves
     * the notebook to anyone who has its session id, link included: a day by default, not a week.
     */
    @WithDefault("86400")
    int datasetUrlExpirySeconds();

    /** Datasets up to this many bytes are embedded in the notebook (base64) instead of linked. */
    @WithDefault("1048576")
    long embedDatasetMaxBytes();

    /** Key of the HMAC that stores job secrets (never the secrets themselves). */
    String secretKey();

    /** Events buffered per live subscriber before a slow one is cut off (it resumes with Last-Event-ID). */
    @WithDefault("256")
    int subscriberBuffer();

    /** Largest accepted progress event body, in bytes of JSON. */
    @WithDefault("16384")
    int maxEventBytes();

    /** How often the sweeper looks for job creations that never finished (also once at start). */
    @WithDefault("1m")
    Duration creationSweepInterval();

    /** A job still being created after this long was abandoned (the service died): it is undone. */
    @WithDefault("2m")
    Duration creationTimeout();

    /** How job events reach the live streams of every replica (PostgreSQL LISTEN/NOTIFY). */
    Events events();

    interface Events {
        /**
         * Where the LISTEN connection goes ({@code postgresql://host:port/db}, SLMGEN_EVENTS_LISTEN_URL);
         * default the request pool's database. It must reach PostgreSQL directly or through a
         * session-mode pooler: LISTEN does not work through a transaction-mode pooler.
         */
        Optional<String> listenUrl();

        /** User of the LISTEN connection (default: the datasource's). */
        Optional<String> listenUser();

        /** Password of the LISTEN connection (default: the datasource's). */
        Optional<String> listenPassword();

        /** First wait before reconnecting a lost LISTEN connection; doubles per failed try. */
        @WithDefault("250ms")
        Duration reconnectDelay();

        /** Longest wait between reconnection tries (they never stop while the service runs). */
        @WithDefault("5s")
        Duration reconnectMaxDelay();
    }

    /** The largest notebook object this service reads back: what it writes, with room to spare. */
    default long maxNotebookBytes() {
        return embedDatasetMaxBytes() * 2 + 4L * 1024 * 1024;
    }

    /** The public base for storage links, absolute, ending in /storage/v1, no trailing slash. */
    default String storageBase() {
        String base = storagePublicUrl().filter(s -> !s.isBlank())
                .or(() -> publicUrl().filter(s -> !s.isBlank()).map(u -> trim(u) + "/storage/v1"))
                .orElse(trim(storageServiceUrl()) + "/storage/v1");
        return trim(base);
    }

    default Optional<String> publicBase() {
        return publicUrl().filter(s -> !s.isBlank()).map(JobsConfig::trim);
    }

    static String trim(String u) {
        String s = u.strip();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }
}
