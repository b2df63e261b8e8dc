package io.slmgen.shared.slmgen;

import java.util.Set;

/** SLMGEN's vocabulary (SPEC §5): the task types and deployment targets every service validates against. */
public final class Choices {

    public static final Set<String> TASKS = Set.of("classify", "qa", "conversation", "generation", "extraction");
    public static final Set<String> TARGETS = Set.of("cloud", "mobile", "edge", "browser", "desktop", "server");

    private Choices() {
    }
}
