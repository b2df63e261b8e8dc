package io.slmgen.auth;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** SPEC §15: anonymous users expire after {@code slmgen.anonymous-ttl} and are swept (AnonymousSweeper). */
@ConfigMapping(prefix = "slmgen")
public interface AnonymousConfig {

    /** SLMGEN_ANONYMOUS_TTL: age after which an anonymous user that was never upgraded is deleted. */
    @WithDefault("24h")
    Duration anonymousTtl();

    /** How often the sweep runs ({@code off} disables it). */
    @WithDefault("10m")
    String anonymousSweepInterval();

    /** Delay of the first run after start. */
    @WithDefault("1m")
    String anonymousSweepDelay();

    /** Users deleted per batch (one short transaction each). */
    @WithDefault("500")
    int anonymousSweepBatch();

    /** Batches per run at most. */
    @WithDefault("20")
    int anonymousSweepMaxBatches();
}
