package io.slmgen.shared.error;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error meant for the caller: HTTP status, a stable snake_case code and a readable message.
 * {@link ErrorShape} renders it in the shape of the path that was called. No stack trace is kept:
 * these are expected outcomes, not bugs.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private String pgCode;
    private String field;
    private Object details;
    private String hint;
    private Integer storageStatusCode;
    private String storageError;
    private final Map<String, Object> extra = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();

    public ApiException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, "no_authorization", message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, "forbidden", message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message);
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, "conflict", message);
    }

    /** A field failed validation: 422 naming the field. */
    public static ApiException invalidField(String field, String message) {
        return new ApiException(422, "validation_failed", message).field(field);
    }

    public static ApiException unavailable(String message) {
        return new ApiException(503, "service_unavailable", message).header("Retry-After", "2");
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

    /** storage-api reports some errors with a body statusCode different from the HTTP status. */
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

    public int status() {
        return status;
    }

    public String code() {
        return code;
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

    public int storageStatusCode() {
        return storageStatusCode != null ? storageStatusCode : status;
    }

    public String storageError() {
        return storageError != null ? storageError : code;
    }

    public Map<String, Object> extra() {
        return extra;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
