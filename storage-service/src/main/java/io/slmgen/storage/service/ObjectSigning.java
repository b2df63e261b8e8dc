package io.slmgen.storage.service;

import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.slmgen.shared.identity.Caller;
import io.slmgen.storage.StorageConfig;
import io.slmgen.storage.model.Answers.SignedDownloadUrl;
import io.slmgen.storage.model.Answers.SignedUploadUrl;
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

    public SignedDownloadUrl sign(Caller caller, String bucketId, String name, Object expiresIn) {
        long seconds = expiresIn(expiresIn);
        store.visibleObject(caller, bucketId, name);
        return new SignedDownloadUrl(signedUrl(bucketId, name, seconds));
    }

    /** One entry of the answer to a batch signing (storage-api's shape: an error or a URL per path). */
    public record SignedUrl(@JsonProperty("error") String error, @JsonProperty("path") String path,
                            @JsonProperty("signedURL") String signedURL) {
    }

    public List<SignedUrl> signMany(Caller caller, String bucketId, Object expiresIn, List<String> paths) {
        long seconds = expiresIn(expiresIn);
        if (paths == null || paths.isEmpty()) {
            throw StorageError.INVALID_REQUEST.exception("body must have required property 'paths'");
        }
        if (paths.size() > 1000) {
            throw StorageError.INVALID_REQUEST.exception("body/paths must NOT have more than 1000 items");
        }
        List<String> names = paths.stream().filter(p -> p != null).distinct().toList();
        Set<String> visible = store.awaitSession(caller, () -> store.objects().existing(bucketId, names));
        List<SignedUrl> out = new ArrayList<>();
        for (String p : paths) {
            boolean ok = p != null && visible.contains(p);
            out.add(new SignedUrl(ok ? null : NOT_VISIBLE, p, ok ? signedUrl(bucketId, p, seconds) : null));
        }
        return out;
    }

    private String signedUrl(String bucketId, String name, long seconds) {
        String token = tokens.sign(bucketId + "/" + name, seconds, Map.of());
        return "/object/sign/" + bucketId + "/" + name + "?token=" + token;
    }

    /** A signed upload URL: the caller must be allowed to insert there (tested in a rolled-back transaction). */
    public SignedUploadUrl signUpload(Caller caller, String bucketId, String name, boolean upsert) {
        store.bucket(bucketId);
        store.testInsert(caller, bucketId, name, caller.userId(), upsert, new JsonObject());
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("owner", caller.userId() == null ? null : caller.userId().toString());
        claims.put("upsert", upsert);
        claims.values().removeIf(v -> v == null);
        String token = tokens.sign(bucketId + "/" + name, config.uploadUrlExpiry().toSeconds(), claims);
        return new SignedUploadUrl("/object/upload/sign/" + bucketId + "/" + name + "?token=" + token, token);
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
