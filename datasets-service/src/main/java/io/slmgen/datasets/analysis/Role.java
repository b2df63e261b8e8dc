package io.slmgen.datasets.analysis;

/** The three roles SLMGEN accepts, spelled exactly. */
public enum Role {
    USER("user"), ASSISTANT("assistant"), SYSTEM("system");

    private final String wire;

    Role(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** The role for an exact (case-sensitive) name, or null. */
    public static Role of(String s) {
        switch (s) {
            case "user":
                return USER;
            case "assistant":
                return ASSISTANT;
            case "system":
                return SYSTEM;
            default:
                return null;
        }
    }
}
