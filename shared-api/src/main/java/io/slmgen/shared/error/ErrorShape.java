package io.slmgen.shared.error;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The error body of each API family. Clients switch on these exact shapes, so every service builds
 * its errors here and nowhere else.
 */
public enum ErrorShape {
    /** GoTrue: {code: status, error_code, msg}; with X-Supabase-Api-Version: {code: error_code, message}. */
    GOTRUE,
    /** storage-api: {statusCode: "404", code?, error, message} (code: storage's own catalogue only). */
    STORAGE,
    /** PostgREST: {code, message, details, hint}. */
    POSTGREST,
    /** FastAPI, as SLMGEN v1 answers: {detail}. */
    FASTAPI,
    /** Our own /api routes: {error, message, status, field?, details?}. */
    API;

    public static ErrorShape forPath(String path) {
        String p = path == null ? "" : (path.startsWith("/") ? path : "/" + path);
        if (p.startsWith("/auth/")) {
            return GOTRUE;
        }
        if (p.startsWith("/storage/v1")) {
            return STORAGE;
        }
        if (p.startsWith("/rest/v1")) {
            return POSTGREST;
        }
        if (p.startsWith("/slmgen")) {
            return FASTAPI;
        }
        return API;
    }

    /**
     * @param gotrueApiVersioned whether the request carried {@code X-Supabase-Api-Version} (GoTrue only)
     */
    public Map<String, Object> body(ApiException e, boolean gotrueApiVersioned) {
        Map<String, Object> body = new LinkedHashMap<>();
        switch (this) {
            case GOTRUE -> {
                if (gotrueApiVersioned) {
                    body.put("code", e.code());
                    body.put("message", e.getMessage());
                } else {
                    body.put("code", e.status());
                    body.put("error_code", e.code());
                    body.put("msg", e.getMessage());
                }
                body.putAll(e.extra());
            }
            case STORAGE -> {
                body.put("statusCode", String.valueOf(e.storageStatusCode()));
                if (e.storageCode() != null) {
                    // storage-api's own errors carry its machine code; storage-js reads it (NoSuchKey: exists())
                    body.put("code", e.storageCode());
                }
                body.put("error", e.storageError());
                body.put("message", e.getMessage());
                body.putAll(e.extra());
            }
            case POSTGREST -> {
                body.put("code", e.pgCode() != null ? e.pgCode() : e.code());
                body.put("details", e.details());
                body.put("hint", e.hint());
                body.put("message", e.getMessage());
            }
            case FASTAPI -> body.put("detail", e.details() != null && e.status() == 422 ? e.details() : e.getMessage());
            case API -> {
                body.put("error", e.code());
                body.put("message", e.getMessage());
                body.put("status", e.status());
                if (e.field() != null) {
                    body.put("field", e.field());
                }
                if (e.details() != null) {
                    body.put("details", e.details());
                }
                body.putAll(e.extra());
            }
        }
        return body;
    }
}
