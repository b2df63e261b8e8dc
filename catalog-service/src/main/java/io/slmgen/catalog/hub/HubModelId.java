package io.slmgen.catalog.hub;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Hugging Face model id, {@code owner/name}, checked strictly before it goes anywhere near a URL:
 * the hub's own repo-id rules (letters, digits, '-', '_', '.'; each part starts and ends with a letter,
 * digit or '_'; no "--" or ".."; at most 96 characters), ASCII only, and exactly one '/'. What passes
 * can be pasted into a hub path as it is: it has nothing to encode, no traversal and no query or host
 * syntax.
 */
public record HubModelId(String owner, String name) {

    public static final int MAX_LENGTH = 96;
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?");

    /** The id if {@code raw} is a well-formed {@code owner/name}, else empty. */
    public static Optional<HubModelId> parse(String raw) {
        if (raw == null || raw.isEmpty() || raw.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        int slash = raw.indexOf('/');
        if (slash < 0 || slash != raw.lastIndexOf('/')) {
            return Optional.empty();
        }
        String owner = raw.substring(0, slash);
        String name = raw.substring(slash + 1);
        if (!valid(owner) || !valid(name) || name.endsWith(".git")) {
            return Optional.empty();
        }
        return Optional.of(new HubModelId(owner, name));
    }

    private static boolean valid(String part) {
        return PART.matcher(part).matches() && !part.contains("--") && !part.contains("..");
    }

    /** {@code owner/name}. */
    public String id() {
        return owner + "/" + name;
    }

    @Override
    public String toString() {
        return id();
    }
}
