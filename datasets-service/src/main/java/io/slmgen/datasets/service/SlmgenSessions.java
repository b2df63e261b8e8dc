package io.slmgen.datasets.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.slmgen.datasets.analysis.DatasetAnalyser;
import io.slmgen.datasets.analysis.DuplicateFinder;
import io.slmgen.datasets.analysis.Example;
import io.slmgen.datasets.analysis.SlmgenPreview;
import io.slmgen.datasets.client.StorageClient;
import io.slmgen.datasets.config.DatasetsConfig;
import io.slmgen.datasets.repository.DatasetRepository;
import io.slmgen.shared.db.CallerTransactions;
import io.slmgen.shared.error.ApiError;
import io.slmgen.shared.identity.ActingCallers;
import io.slmgen.shared.identity.Caller;
import io.smallrye.mutiny.Uni;

/**
 * SLMGEN v1 sessions (SPEC §15) over the /api datasets: a session is one dataset row, found by its
 * {@code session_id}. Session rule: a signed-in caller acts as themselves (RLS hides foreign sessions);
 * without a token only a session owned by an anonymous user and not expired is reachable, acting as
 * that owner - so RLS decides every read either way.
 */
@ApplicationScoped
public class SlmgenSessions {

    public static final String SESSION_NOT_FOUND = "Session not found, expired, or access denied. Please upload again.";
    public static final String PREVIEW_NOT_FOUND = "Session not found";

    @Inject
    CallerTransactions tx;
    @Inject
    DatasetRepository datasets;
    @Inject
    ActingCallers acting;
    @Inject
    StorageClient storage;
    @Inject
    DatasetsConfig config;
    /** Duplicate listings being computed, by dataset id: one computation per row at a time. */
    private final ConcurrentHashMap<String, Uni<Map<String, Object>>> duplicateBackfills = new ConcurrentHashMap<>();

    /** The session's row and the caller that reads it. */
    public record Session(Caller caller, Map<String, Object> row) {
    }

    public Uni<Session> open(Caller current, String sessionId, String notFound) {
        if (sessionId == null || sessionId.isBlank() || sessionId.length() > 200) {
            return Uni.createFrom().failure(ApiError.NOT_FOUND.exception(notFound));
        }
        return callerFor(current, sessionId, notFound)
                .flatMap(caller -> tx.run(caller, c -> datasets.findBySession(c, sessionId))
                        .map(found -> new Session(caller, found.orElseThrow(() -> ApiError.NOT_FOUND.exception(
                                notFound)))));
    }

    private Uni<Caller> callerFor(Caller current, String sessionId, String notFound) {
        if (current.isUser()) {
            return Uni.createFrom().item(current);
        }
        return tx.runAsService(c -> datasets.sessionOwner(c, sessionId)).map(found -> {
            var owner = found.orElseThrow(() -> ApiError.NOT_FOUND.exception(notFound));
            if (!Boolean.TRUE.equals(owner.getBoolean("owner_is_anonymous")) || Boolean.TRUE.equals(owner.getBoolean("expired"))) {
                throw ApiError.NOT_FOUND.exception(notFound);
            }
            return acting.anonymousOwner(owner.getUUID("user_id"));
        });
    }

    /** SLMGEN's DatasetStats from a row (percentages as ints, as SLMGEN's model declares them). */
    public static Map<String, Object> stats(Map<String, Object> row) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("total_examples", intOf(row.get("total_examples")));
        s.put("total_tokens", intOf(row.get("total_tokens")));
        s.put("avg_tokens_per_example", intOf(row.get("avg_tokens_per_example")));
        s.put("single_turn_pct", intOf(row.get("single_turn_pct")));
        s.put("multi_turn_pct", intOf(row.get("multi_turn_pct")));
        s.put("has_system_prompts", Boolean.TRUE.equals(row.get("has_system_prompts")));
        s.put("quality_score", row.get("quality_score") instanceof Number n ? n.doubleValue() : 0.0);
        s.put("quality_issues", row.get("quality_issues") instanceof List<?> l ? l : List.of());
        return s;
    }

    /** SLMGEN's DatasetCharacteristics from a row. */
    public static Map<String, Object> characteristics(Map<String, Object> row) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("is_multilingual", Boolean.TRUE.equals(row.get("is_multilingual")));
        c.put("avg_response_length", intOf(row.get("avg_response_length")));
        c.put("looks_like_json", Boolean.TRUE.equals(row.get("looks_like_json")));
        c.put("is_multi_turn", Boolean.TRUE.equals(row.get("is_multi_turn")));
        c.put("has_system_prompts", Boolean.TRUE.equals(row.get("has_system_prompts")));
        c.put("dominant_language", row.get("dominant_language") == null ? "en" : row.get("dominant_language"));
        return c;
    }

    public Uni<Map<String, Object>> analyze(Caller current, String sessionId) {
        return open(current, sessionId, SESSION_NOT_FOUND).map(s -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("session_id", sessionId);
            out.put("stats", stats(s.row()));
            out.put("characteristics", characteristics(s.row()));
            return out;
        });
    }

    /** A page of valid examples (page from 1, page_size 1..100 after clamping, as SLMGEN). */
    public Uni<Map<String, Object>> preview(Caller current, String sessionId, int page, int pageSize) {
        int p = Math.max(1, page);
        int size = Math.max(1, Math.min(100, pageSize));
        long offset = (long) (p - 1) * size;
        return open(current, sessionId, PREVIEW_NOT_FOUND).flatMap(s -> storage
                .readExamples(s.caller(), path(s), offset, size, config.maxLineBytes())
                .map(examples -> {
                    List<Map<String, Object>> items = new ArrayList<>(examples.size());
                    for (Example e : examples) {
                        Map<String, Object> item = new LinkedHashMap<>();
                        item.put("index", e.index());
                        item.put("messages", e.messages());
                        item.put("token_count", SlmgenPreview.tokenCount(e.messages()));
                        items.add(item);
                    }
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("examples", items);
                    out.put("total_count", intOf(s.row().get("total_examples")));
                    out.put("page", p);
                    out.put("page_size", size);
                    return out;
                }));
    }

    public Uni<Map<String, Object>> distribution(Caller current, String sessionId) {
        return open(current, sessionId, PREVIEW_NOT_FOUND).flatMap(s -> {
            SlmgenPreview.Distribution d = new SlmgenPreview.Distribution();
            long max = config.maxExamples();
            return storage.scanExamples(s.caller(), path(s), config.maxLineBytes(), e -> {
                if (e.index() >= max) {
                    return false; // no upload holds more; a row written by a client reads no further
                }
                d.add(e);
                return true;
            }).map(v -> d.toMap());
        });
    }

    /**
     * SLMGEN's duplicate listing: found by the analyser during the upload and stored with the row, so
     * answering reads no object and builds no hash map. A row without one (written through /rest/v1, or
     * uploaded before the listing was stored) gets it computed once from its object (at most
     * datasets.max-examples examples; one computation per row at a time) and stored.
     */
    public Uni<Map<String, Object>> duplicates(Caller current, String sessionId) {
        return open(current, sessionId, PREVIEW_NOT_FOUND).flatMap(s -> {
            if (s.row().get("duplicate_count") instanceof Number n && s.row().get("duplicate_examples") instanceof List<?> l) {
                return Uni.createFrom().item(duplicatesBody(n, l));
            }
            String id = String.valueOf(s.row().get("id"));
            return duplicateBackfills.computeIfAbsent(id, k -> computeDuplicates(s)
                    .eventually(() -> {
                        duplicateBackfills.remove(k); // a statement: remove's Uni must not be awaited
                    })
                    .memoize().indefinitely());
        });
    }

    private Uni<Map<String, Object>> computeDuplicates(Session s) {
        DuplicateFinder f = new DuplicateFinder(DatasetAnalyser.DUPLICATES_LISTED, config.maxExamples());
        UUID id = UUID.fromString(String.valueOf(s.row().get("id")));
        return storage.scanExamples(s.caller(), path(s), config.maxLineBytes(), f::add)
                .flatMap(v -> tx.runAsService(c -> datasets.setDuplicates(c, id, f.count(), f.examples())))
                .map(stored -> stored.map(r -> duplicatesBody(r.getInteger("duplicate_count"),
                                r.getJsonArray("duplicate_examples").getList()))
                        .orElseThrow(() -> ApiError.NOT_FOUND.exception(PREVIEW_NOT_FOUND)));
    }

    private static Map<String, Object> duplicatesBody(Number count, List<?> examples) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", count.longValue());
        List<Long> indices = new ArrayList<>(examples.size());
        for (Object e : examples) {
            indices.add(((Number) e).longValue());
        }
        out.put("examples", indices);
        return out;
    }

    private static String path(Session s) {
        return (String) s.row().get("storage_path");
    }

    static long intOf(Object v) {
        return v instanceof Number n ? n.longValue() : 0L;
    }
}
