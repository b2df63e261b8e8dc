package io.slmgen.shared.error;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error meant for the caller: an entry of an error catalogue ({@link ErrorCode}: HTTP status, stable
 * code) and a readable message. {@link ErrorShape} renders it in the shape of the path that was called.
 * Throw sites name the entry, e.g. {@code ApiError.NOT_FOUND.exception("no dataset " + id)}. No stack
 * trace is kept: these are expected outcomes, not bugs.
 */
public class ApiException extends RuntimeException {

    private final ErrorCode entry;
    private final int status;
    private String pgCode;
    private String field;
    private Object details;
    private String hint;
    private Integer storageStatusCode;
    private String storageError;
    private final Map<String, Object> extra = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();

    public ApiException(ErrorCode entry, String message) {
        this(entry, entry.status(), message);
    }

    /**
     * An entry answered with another status than its own: only for statuses decided elsewhere, such as an
     * upstream service's 4xx relayed as it came or a JAX-RS failure's own status.
     */
    public ApiException(ErrorCode entry, int status, String message) {
        super(message, null, false, false);
        this.entry = entry;
        this.status = status;
        this.pgCode = entry.pgCode();
        if (entry.retryAfter() != null) {
            headers.put("Retry-After", entry.retryAfter());
        }
    }

    public ApiException pgCode(String c) {
        this.pgCode = c;
        return this;
    }

    public ApiException field(String f) {
        this.field = f;
        return this;
    }

    public ApiException details(Object d) {
        this.details = d;
        return this;
    }

    public ApiException hint(String h) {
        this.hint = h;
        return this;
    }

    /** storage-api reports some errors with a body statusCode and error text of their own. */
    public ApiException storage(int bodyStatusCode, String error) {
        this.storageStatusCode = bodyStatusCode;
        this.storageError = error;
        return this;
    }

    public ApiException extra(String key, Object value) {
        this.extra.put(key, value);
        return this;
    }

    public ApiException header(String name, String value) {
        this.headers.put(name, value);
        return this;
    }

    /** The catalogue entry this error stands for. */
    public ErrorCode entry() {
        return entry;
    }

    public int status() {
        return status;
    }

    public String code() {
        return entry.code();
    }

    public String pgCode() {
        return pgCode;
    }

    public String field() {
        return field;
    }

    public Object details() {
        return details;
    }

    public String hint() {
        return hint;
    }

    /** storage-api's machine code for the body's {@code code}; null outside storage's catalogue. */
    public String storageCode() {
        return entry.storageCode();
    }

    public int storageStatusCode() {
        if (storageStatusCode != null) {
            return storageStatusCode;
        }
        // an entry answered with a relayed status reports that status, as before entries existed
        return status == entry.status() ? entry.storageStatusCode() : status;
    }

    public String storageError() {
        return storageError != null ? storageError : entry.storageError();
    }

    public Map<String, Object> extra() {
        return extra;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
