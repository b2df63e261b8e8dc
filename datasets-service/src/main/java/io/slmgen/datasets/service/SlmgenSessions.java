package io.slmgen.datasets.service;

import java.util.ArrayList;
import java.util.List;
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
import io.slmgen.datasets.model.Dataset;
import io.slmgen.datasets.analysis.SlmgenDistribution;
import io.slmgen.datasets.model.SlmgenDuplicates;
import io.slmgen.datasets.model.SlmgenExamplePage;
import io.slmgen.datasets.model.SlmgenAnalysis;
import io.slmgen.datasets.model.SlmgenCharacteristics;
import io.slmgen.datasets.model.SlmgenStats;
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
    private final ConcurrentHashMap<String, Uni<SlmgenDuplicates>> duplicateBackfills = new ConcurrentHashMap<>();

    /** The session's row and the caller that reads it. */
    public record Session(Caller caller, Dataset row) {
    }

    public Uni<Session> open(Caller current, String sessionId, String notFound) {
        if (sessionId == null || sessionId.isBlank() || sessionId.length() > 200) {
            return Uni.createFrom().failure(ApiError.NOT_FOUND.exception(notFound));
        }
        return callerFor(current, sessionId, notFound)
                .flatMap(caller -> tx.inSession(caller, () -> datasets.bySession(sessionId))
                        .map(found -> new Session(caller, found.orElseThrow(() -> ApiError.NOT_FOUND.exception(
                                notFound)))));
    }

    private Uni<Caller> callerFor(Caller current, String sessionId, String notFound) {
        if (current.isUser()) {
            return Uni.createFrom().item(current);
        }
        return tx.runAsService(c -> datasets.sessionOwner(c, sessionId)).map(found -> {
            var owner = found.orElseThrow(() -> ApiError.NOT_FOUND.exception(notFound));
            if (!owner.ownerIsAnonymous() || Boolean.TRUE.equals(owner.expired())) {
                throw ApiError.NOT_FOUND.exception(notFound);
            }
            return acting.anonymousOwner(owner.userId());
        });
    }

    /** SLMGEN's DatasetStats from a row (percentages as ints, as SLMGEN's model declares them). */
    public static SlmgenStats stats(Dataset row) {
        return new SlmgenStats(intOf(row.totalExamples()), intOf(row.totalTokens()), intOf(row.avgTokensPerExample()),
                intOf(row.singleTurnPct()), intOf(row.multiTurnPct()), Boolean.TRUE.equals(row.hasSystemPrompts()),
                row.qualityScore() == null ? 0.0 : row.qualityScore(),
                row.qualityIssues() instanceof List<?> l ? l : List.of());
    }

    /** SLMGEN's DatasetCharacteristics from a row. */
    public static SlmgenCharacteristics characteristics(Dataset row) {
        return new SlmgenCharacteristics(Boolean.TRUE.equals(row.isMultilingual()), intOf(row.avgResponseLength()),
                Boolean.TRUE.equals(row.looksLikeJson()), Boolean.TRUE.equals(row.isMultiTurn()),
                Boolean.TRUE.equals(row.hasSystemPrompts()),
                row.dominantLanguage() == null ? "en" : row.dominantLanguage());
    }

    public Uni<SlmgenAnalysis> analyze(Caller current, String sessionId) {
        return open(current, sessionId, SESSION_NOT_FOUND)
                .map(s -> new SlmgenAnalysis(sessionId, stats(s.row()), characteristics(s.row())));
    }

    /** A page of valid examples (page from 1, page_size 1..100 after clamping, as SLMGEN). */
    public Uni<SlmgenExamplePage> preview(Caller current, String sessionId, int page, int pageSize) {
        int p = Math.max(1, page);
        int size = Math.max(1, Math.min(100, pageSize));
        long offset = (long) (p - 1) * size;
        return open(current, sessionId, PREVIEW_NOT_FOUND).flatMap(s -> storage
                .readExamples(s.caller(), path(s), offset, size, config.maxLineBytes())
                .map(examples -> {
                    List<SlmgenExamplePage.Item> items = new ArrayList<>(examples.size());
                    for (Example e : examples) {
                        items.add(new SlmgenExamplePage.Item(e.index(), e.messages(), SlmgenPreview.tokenCount(e.messages())));
                    }
                    return new SlmgenExamplePage(items, intOf(s.row().totalExamples()), p, size);
                }));
    }

    public Uni<SlmgenDistribution> distribution(Caller current, String sessionId) {
        return open(current, sessionId, PREVIEW_NOT_FOUND).flatMap(s -> {
            SlmgenPreview.Distribution d = new SlmgenPreview.Distribution();
            long max = config.maxExamples();
            return storage.scanExamples(s.caller(), path(s), config.maxLineBytes(), e -> {
                if (e.index() >= max) {
                    return false; // no upload holds more; a row written by a client reads no further
                }
                d.add(e);
                return true;
            }).map(v -> d.result());
        });
    }

    /**
     * SLMGEN's duplicate listing: found by the analyser during the upload and stored with the row, so
     * answering reads no object and builds no hash map. A row without one (written through /rest/v1, or
     * uploaded before the listing was stored) gets it computed once from its object (at most
     * datasets.max-examples examples; one computation per row at a time) and stored.
     */
    public Uni<SlmgenDuplicates> duplicates(Caller current, String sessionId) {
        return open(current, sessionId, PREVIEW_NOT_FOUND).flatMap(s -> {
            if (s.row().duplicateCount() != null && s.row().duplicateExamples() instanceof List<?> l) {
                return Uni.createFrom().item(duplicatesBody(s.row().duplicateCount(), l));
            }
            String id = String.valueOf(s.row().id());
            return duplicateBackfills.computeIfAbsent(id, k -> computeDuplicates(s)
                    .eventually(() -> {
                        duplicateBackfills.remove(k); // a statement: remove's Uni must not be awaited
                    })
                    .memoize().indefinitely());
        });
    }

    private Uni<SlmgenDuplicates> computeDuplicates(Session s) {
        DuplicateFinder f = new DuplicateFinder(DatasetAnalyser.DUPLICATES_LISTED, config.maxExamples());
        UUID id = s.row().id();
        return storage.scanExamples(s.caller(), path(s), config.maxLineBytes(), f::add)
                .flatMap(v -> tx.runAsService(c -> datasets.setDuplicates(c, id, f.count(), f.examples())))
                .map(stored -> stored.orElseThrow(() -> ApiError.NOT_FOUND.exception(PREVIEW_NOT_FOUND)));
    }

    private static SlmgenDuplicates duplicatesBody(Number count, List<?> examples) {
        List<Long> indices = new ArrayList<>(examples.size());
        for (Object e : examples) {
            indices.add(((Number) e).longValue());
        }
        return new SlmgenDuplicates(count.longValue(), indices);
    }

    private static String path(Session s) {
        return s.row().storagePath();
    }

    static long intOf(Object v) {
        return v instanceof Number n ? n.longValue() : 0L;
    }
}
