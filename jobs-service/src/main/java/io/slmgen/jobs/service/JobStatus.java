package io.slmgen.jobs.service;

import java.util.List;
import java.util.Set;

/** created → processing → completed | failed; cancelled from created or processing. */
public final class JobStatus {

    public static final String CREATED = "created";
    public static final String PROCESSING = "processing";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";

    public static final List<String> CANCELLABLE = List.of(CREATED, PROCESSING);
    static final Set<String> FINAL = Set.of(COMPLETED, FAILED, CANCELLED);

    private JobStatus() {
    }

    public static boolean isFinal(String status) {
        return FINAL.contains(status);
    }
}
