package io.slmgen.datasets.service;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.slmgen.datasets.model.Dataset;
import io.slmgen.datasets.model.DatasetPreview;
import io.slmgen.datasets.model.SessionOwnerAnswer;
import io.slmgen.datasets.model.Upload;
import io.slmgen.datasets.client.StorageClient;
import io.slmgen.datasets.repository.DatasetRepository;
import io.slmgen.shared.api.Page;
import io.slmgen.shared.db.CallerTransactions;
import io.slmgen.shared.error.ApiError;
import io.slmgen.shared.error.ApiException;
import io.slmgen.shared.identity.Caller;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/**
 * Datasets (SPEC §6): rows are written and read as the caller, so the seed's policies decide; the
 * stored object is handled through storage-service with the caller's credentials.
 */
@ApplicationScoped
public class DatasetService {

    /** SLMGEN's task types and deployment targets (SPEC §8.5), as catalog-service validates them. */
    public static final Set<String> TASKS = io.slmgen.shared.slmgen.Choices.TASKS;
    public static final Set<String> TARGETS = io.slmgen.shared.slmgen.Choices.TARGETS;

    @Inject
    CallerTransactions tx;
    @Inject
    DatasetRepository datasets;
    @Inject
    StorageClient storage;
    @Inject
    DatasetCreations creations;

    /**
     * Records an upload that is already stored (its object marked by {@link DatasetCreations#begin}).
     * If the row cannot be written the object is removed, so nothing half-made remains. The answer carries {@code job_id} = the allocated id (the column
     * stays NULL until the job exists, SPEC §6).
     */
    public Uni<Dataset> create(Caller caller, Upload upload) {
        return create(caller, upload, false, null);
    }

    /** As {@link #create(Caller, Upload)}, for an SLMGEN session owned by an anonymous user until {@code expiresAt}. */
    public Uni<Dataset> create(Caller caller, Upload upload, boolean ownerIsAnonymous, OffsetDateTime expiresAt) {
        UUID user = caller.requireUser();
        // the row and the removal of the upload's mark commit together (DatasetCreations): hand-written SQL on
        // one connection, see DatasetRepository.insert
        return tx.run(caller, c -> datasets.insert(c, user, upload, ownerIsAnonymous, expiresAt)
                        .call(row -> creations.finish(c, upload.storagePath())))
                .onFailure().call(err -> storage.delete(caller, upload.storagePath())
                        .onFailure().recoverWithItem(false)
                        // object gone: the mark has nothing left to guard; else the sweeper retries the delete
                        .chain(deleted -> deleted ? creations.forget(upload.storagePath()) : Uni.createFrom().voidItem()))
                .map(row -> row.withJobId(upload.jobId()));
    }

    public Uni<Page<Dataset>> list(Caller caller, Integer limit, Integer offset) {
        caller.requireUser();
        int[] b = Page.bounds(limit, offset);
        return tx.inSession(caller, () -> datasets.listVisible(b[0], b[1])
                .flatMap(items -> datasets.countVisible().map(total -> new Page<>(items, total, b[0], b[1]))));
    }

    public Uni<Dataset> get(Caller caller, UUID id) {
        caller.requireUser();
        return tx.inSession(caller, () -> datasets.byId(id)).map(f -> f.orElseThrow(() -> notFound(id)));
    }

    public Uni<Dataset> bySession(Caller caller, String sessionId) {
        caller.requireUser();
        if (sessionId == null || sessionId.isBlank() || sessionId.length() > 200) {
            throw ApiError.INVALID_ID.exception("session_id is invalid").field("session_id");
        }
        return tx.inSession(caller, () -> datasets.bySession(sessionId))
                .map(f -> f.orElseThrow(() -> ApiError.NOT_FOUND.exception("no dataset with session_id " + sessionId)));
    }

    /**
     * Deletes the stored object, then the row, in one transaction of the caller: the row goes only if
     * the object is gone (or was already missing), so a failure of either leaves the pair consistent
     * and a retry finishes the job.
     */
    public Uni<Void> delete(Caller caller, UUID id) {
        caller.requireUser();
        return tx.inSession(caller, () -> datasets.byId(id).flatMap(found -> {
            Dataset row = found.orElseThrow(() -> notFound(id));
            return storage.delete(caller, row.storagePath())
                    .chain(() -> datasets.delete("id", id).map(n -> n > 0)); // never deleteById (shared-rls README)
        })).map(deleted -> {
            if (!deleted) {
                throw notFound(id);
            }
            return null;
        });
    }

    /**
     * Links the job created for this dataset (called by jobs-service with the user's token). The
     * dataset is read as the caller (invisible → 404) and the job id must be the one allocated at
     * upload (else 409). The seed gives users no UPDATE policy on datasets, so the update itself runs
     * as service_role - only after the caller's ownership was established above.
     */
    public Uni<Dataset> linkJob(Caller caller, UUID id, UUID jobId) {
        caller.requireUser();
        return tx.inSession(caller, () -> datasets.byId(id)).flatMap(found -> {
            Dataset row = found.orElseThrow(() -> notFound(id));
            if (!jobId.equals(row.allocatedJobId())) {
                throw ApiError.CONFLICT.exception("job_id is not the job id allocated to this dataset at upload");
            }
            return tx.runAsService(c -> datasets.setJob(c, id, jobId))
                    .map(f -> f.orElseThrow(() -> notFound(id)));
        });
    }

    /**
     * Who owns an SLMGEN session (service_role only): {@code {dataset_id, user_id, owner_is_anonymous,
     * expires_at}}, expires_at as ISO-8601 with offset or null.
     */
    public Uni<SessionOwnerAnswer> sessionOwner(Caller caller, String sessionId) {
        caller.requireServiceRole();
        if (sessionId == null || sessionId.isBlank() || sessionId.length() > 200) {
            throw ApiError.NOT_FOUND.exception("no dataset with session_id " + sessionId);
        }
        return tx.runAsService(c -> datasets.sessionOwner(c, sessionId)).map(found -> SessionOwnerAnswer.of(
                found.orElseThrow(() -> ApiError.NOT_FOUND.exception("no dataset with session_id " + sessionId))));
    }

    /**
     * Remembers the last recommendation of an SLMGEN session (SPEC §15; called by catalog-service with
     * the acting caller's token). Read as the caller (invisible → 404), written as service_role, since
     * the seed has no UPDATE policy on datasets.
     */
    public Uni<Dataset> select(Caller caller, UUID id, String task, String target, String modelId,
                                           Map<String, Object> scores) {
        caller.requireUser();
        if (task == null || !TASKS.contains(task)) {
            throw ApiError.VALIDATION_FAILED.exception("task must be one of " + new TreeSet<>(TASKS)).field("task");
        }
        if (target == null || !TARGETS.contains(target)) {
            throw ApiError.VALIDATION_FAILED.exception("deployment must be one of " + new TreeSet<>(TARGETS))
                    .field("deployment");
        }
        if (modelId == null || modelId.isBlank() || modelId.length() > 200) {
            throw ApiError.VALIDATION_FAILED.exception("model_id is required (a catalog id)").field("model_id");
        }
        JsonObject scoreJson = null;
        if (scores != null) {
            scoreJson = new JsonObject();
            for (Map.Entry<String, Object> e : scores.entrySet()) {
                if (!(e.getValue() instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                    throw ApiError.VALIDATION_FAILED.exception("scores must map catalog ids to numbers")
                            .field("scores");
                }
                scoreJson.put(e.getKey(), n);
            }
        }
        // the JSON text the reactive client sent when it bound the JsonObject itself
        String s = scoreJson == null ? null : scoreJson.encode();
        return tx.inSession(caller, () -> datasets.byId(id)).flatMap(found -> {
            found.orElseThrow(() -> notFound(id));
            return tx.inSessionAsService(() -> datasets.setSelection(id, task, target, modelId, s))
                    .map(f -> f.orElseThrow(() -> notFound(id)));
        });
    }

    /** Valid examples [offset, offset + limit) of the caller's dataset, read from storage. */
    public Uni<DatasetPreview> preview(Caller caller, UUID id, int limit, long offset, int maxLineBytes) {
        return get(caller, id).flatMap(row -> storage.readExamples(caller, row.storagePath(), offset, limit,
                maxLineBytes).map(examples -> new DatasetPreview(examples.stream().map(DatasetPreview.Item::of).toList(),
                        row.totalExamples(), limit, offset)));
    }

    public static ApiException notFound(UUID id) {
        return ApiError.NOT_FOUND.exception("no dataset with id " + id);
    }
}
