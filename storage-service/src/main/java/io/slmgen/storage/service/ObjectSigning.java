package io.slmgen.storage.service;

import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.slmgen.shared.identity.Caller;
import io.slmgen.storage.StorageConfig;
import io.slmgen.storage.objects.SignedTokens;
import io.slmgen.storage.objects.StorageError;
import io.vertx.core.json.JsonObject;

/** Signed URLs (docs/SPEC.md §9): download URLs for objects the caller can read, upload URLs where it may insert. Methods block. */
@ApplicationScoped
public class ObjectSigning {

    static final String NOT_VISIBLE = "Either the object does not exist or you do not have access to it";

    @Inject
    ObjectStore store;
    @Inject
    SignedTokens tokens;
    @Inject
    StorageConfig config;

    public Map<String, Object> sign(Caller caller, String bucketId, String name, Object expiresIn) {
        long seconds = expiresIn(expiresIn);
        store.await(store.tx().run(caller, c -> store.repo().find(c, bucketId, name))).orElseThrow(StorageError.NO_SUCH_KEY::exception);
        return Map.of("signedURL", signedUrl(bucketId, name, seconds));
    }

    public List<Map<String, Object>> signMany(Caller caller, String bucketId, Object expiresIn, List<String> paths) {
        long seconds = expiresIn(expiresIn);
        if (paths == null || paths.isEmpty()) {
            throw StorageError.INVALID_REQUEST.exception("body must have required property 'paths'");
        }
        if (paths.size() > 1000) {
            throw StorageError.INVALID_REQUEST.exception("body/paths must NOT have more than 1000 items");
        }
        String[] names = paths.stream().filter(p -> p != null).toArray(String[]::new);
        Set<String> visible = store.await(store.tx().run(caller, c -> c.preparedQuery(
                        "select name from storage.objects where bucket_id = $1 and name = any($2)")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(bucketId).addArrayOfString(names))
                .map(rows -> {
                    Set<String> s = new java.util.HashSet<>();
                    rows.forEach(r -> s.add(r.getString(0)));
                    return s;
                })));
        List<Map<String, Object>> out = new ArrayList<>();
        for (String p : paths) {
            Map<String, Object> m = new LinkedHashMap<>();
            boolean ok = p != null && visible.contains(p);
            m.put("error", ok ? null : NOT_VISIBLE);
            m.put("path", p);
            m.put("signedURL", ok ? signedUrl(bucketId, p, seconds) : null);
            out.add(m);
        }
        return out;
    }

    private String signedUrl(String bucketId, String name, long seconds) {
        String token = tokens.sign(bucketId + "/" + name, seconds, Map.of());
        return "/object/sign/" + bucketId + "/" + name + "?token=" + token;
    }

    /** A signed upload URL: the caller must be allowed to insert there (tested in a rolled-back transaction). */
    public Map<String, Object> signUpload(Caller caller, String bucketId, String name, boolean upsert) {
        store.bucket(bucketId);
        store.testInsert(caller, bucketId, name, caller.userId(), upsert, new JsonObject());
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("owner", caller.userId() == null ? null : caller.userId().toString());
        claims.put("upsert", upsert);
        claims.values().removeIf(v -> v == null);
        String token = tokens.sign(bucketId + "/" + name, config.uploadUrlExpiry().toSeconds(), claims);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("url", "/object/upload/sign/" + bucketId + "/" + name + "?token=" + token);
        out.put("token", token);
        return out;
    }

    private static long expiresIn(Object v) {
        long seconds;
        if (v instanceof Number n) {
            seconds = n.longValue();
        } else if (v instanceof String s && s.matches("\\d{1,12}")) {
            seconds = Long.parseLong(s);
        } else {
            throw StorageError.INVALID_REQUEST.exception("body must have required property 'expiresIn'");
        }
        if (seconds < 1) {
            throw StorageError.INVALID_REQUEST.exception("body/expiresIn must be >= 1");
        }
        return Math.min(seconds, ChronoUnit.YEARS.getDuration().getSeconds() * 10);
    }
}
