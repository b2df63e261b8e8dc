package io.slmgen.shared.error;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rules every error catalogue keeps, checked by each catalogue's test: an entry is an error status
 * (4xx/5xx) with a non-blank default message, its code is snake_case (storage-api's are PascalCase, in
 * {@link ErrorCode#storageCode()}), and no two entries answer the same thing on the wire - a second
 * entry for a code exists only to answer it with another status or storage body.
 */
public final class ErrorCatalogues {

    private static final Pattern SNAKE_CASE = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");
    private static final Pattern PASCAL_CASE = Pattern.compile("[A-Z][A-Za-z0-9]*");

    private ErrorCatalogues() {
    }

    /** What is wrong with the entries; empty when they keep the rules. */
    public static List<String> problems(ErrorCode... entries) {
        List<String> problems = new ArrayList<>();
        Map<String, ErrorCode> byWireAnswer = new HashMap<>();
        for (ErrorCode e : entries) {
            if (e.status() < 400 || e.status() > 599) {
                problems.add(e + ": status " + e.status() + " is not an error status");
            }
            if (e.storageCode() != null && (e.storageStatusCode() < 400 || e.storageStatusCode() > 599)) {
                problems.add(e + ": storage statusCode " + e.storageStatusCode() + " is not an error status");
            }
            if (e.storageCode() == null ? !SNAKE_CASE.matcher(e.code()).matches()
                    : !PASCAL_CASE.matcher(e.storageCode()).matches()) {
                problems.add(e + ": code " + e.code() + " breaks the family's spelling");
            }
            if (e.defaultMessage() == null || e.defaultMessage().isBlank()) {
                problems.add(e + ": no default message");
            }
            String wire = e.status() + " " + e.code() + " " + e.pgCode() + " " + e.storageCode() + " "
                    + e.storageStatusCode() + " " + e.storageError();
            ErrorCode twin = byWireAnswer.putIfAbsent(wire, e);
            if (twin != null) {
                problems.add(e + " answers exactly as " + twin + " (" + wire + ")");
            }
        }
        return problems;
    }
}
