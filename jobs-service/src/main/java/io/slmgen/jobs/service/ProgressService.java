package io.slmgen.jobs.service;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.slmgen.jobs.config.JobsConfig;
import io.slmgen.jobs.model.Job;
import io.slmgen.jobs.model.JobEvent;
import io.slmgen.jobs.repository.JobEntityRepository;
import io.slmgen.jobs.repository.JobEventRepository;
import io.slmgen.jobs.repository.JobRepository;
import io.slmgen.shared.db.CallerTransactions;
import io.slmgen.shared.error.ApiError;
import io.slmgen.shared.identity.Caller;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * Training progress (SPEC §7): the notebook posts events with its job's secret; they are stored, move
 * the job through its status machine and reach the owner's live streams on every replica: the insert's
 * trigger NOTIFYs at commit and {@link JobEventBus} delivers from the table, so nothing here publishes.
 */
@ApplicationScoped
public class ProgressService {

    public static final Set<String> EVENT_TYPES = Set.of("progress", "completed", "failed", "log");
    static final int REPLAY_PAGE = 200;

    @Inject
    CallerTransactions tx;
    @Inject
    JobRepository jobs;
    @Inject
    JobEntityRepository jobRows;
    @Inject
    JobEventRepository events;
    @Inject
    JobSecrets secrets;
    @Inject
    JobEventBus bus;
    @Inject
    JobsConfig config;

    /** Stores one event reported by the notebook; 401 (nothing stored) without the job's secret. */
    public Uni<JobEvent.Recorded> record(UUID jobId, String secret, Map<String, Object> body) {
        if (secret == null || secret.isBlank()) {
            throw JobsError.MISSING_JOB_SECRET.exception("the X-Job-Secret header is required");
        }
        JsonObject payload = checkEvent(body);
        String type = (String) payload.remove("type");
        return tx.runAsService(c -> jobs.secretHash(c, jobId).flatMap(hash -> {
            if (hash.isEmpty() || !secrets.matches(secret, hash.get())) {
                throw JobsError.INVALID_JOB_SECRET.exception();
            }
            return jobs.findForUpdate(c, jobId);
        }).flatMap(found -> {
            Job job = found.orElseThrow(() -> JobsError.INVALID_JOB_SECRET.exception());
            String status = job.status();
            if (JobStatus.isFinal(status)) {
                throw JobsError.JOB_FINISHED.exception("the job is already " + status);
            }
            String next = switch (type) {
                case "completed" -> JobStatus.COMPLETED;
                case "failed" -> JobStatus.FAILED;
                default -> JobStatus.PROCESSING;
            };
            Uni<?> move = next.equals(status) ? Uni.createFrom().voidItem()
                    : jobs.transition(c, jobId, List.of(status), next);
            return move.chain(() -> events.append(c, jobId, type, payload)).map(event -> new JobEvent.Recorded(event, next));
        }));
    }

    /**
     * The owner's stream: the job must be visible to the caller (RLS) or this fails with 404 before
     * anything is sent. Replays stored events after {@code afterSeq} page by page, then live ones;
     * ends after a final event (or right after the replay when the job is already final).
     */
    public Uni<Multi<JobEvent.Public>> stream(Caller caller, UUID jobId, long afterSeq) {
        caller.requireUser();
        return tx.inSession(caller, () -> jobRows.job(jobId)).map(found -> {
            Job job = found.orElseThrow(() -> ApiError.NOT_FOUND.exception("no job with id " + jobId));
            boolean finished = JobStatus.isFinal(job.status());
            AtomicLong last = new AtomicLong(afterSeq);
            Multi<JobEvent.Public> replay = Multi.createBy().repeating()
                    .uni(() -> tx.run(caller, c -> events.after(c, jobId, last.get(), REPLAY_PAGE)))
                    .whilst(page -> page.size() == REPLAY_PAGE)
                    .onItem().<JobEvent>disjoint()
                    .invoke(e -> last.set(e.seq()))
                    .map(JobEvent::view);
            if (finished) {
                return replay;
            }
            Multi<JobEvent.Public> live = Multi.createFrom().deferred(() -> bus.live(jobId, last.get()))
                    .map(JobEvent::view);
            return Multi.createBy().concatenating().streams(replay, live);
        });
    }

    /** Appends an event written by the service itself (cancellation); its commit reaches the live streams. */
    public Uni<JobEvent> recordSystemEvent(UUID jobId, String type, JsonObject payload) {
        return tx.runAsService(c -> jobs.findForUpdate(c, jobId).chain(() -> events.append(c, jobId, type, payload)));
    }

    /** Validates a reported event: a JSON object with a known type and numbers where numbers belong. */
    JsonObject checkEvent(Map<String, Object> body) {
        if (body == null) {
            throw ApiError.VALIDATION_FAILED_BAD_REQUEST.exception("a JSON object body is required");
        }
        JsonObject o = new JsonObject(new LinkedHashMap<>(body));
        if (Json.encode(o).getBytes(StandardCharsets.UTF_8).length > config.maxEventBytes()) {
            throw JobsError.EVENT_TOO_LARGE.exception("an event must be at most " + config.maxEventBytes() + " bytes");
        }
        Object type = o.getValue("type");
        if (!(type instanceof String t) || !EVENT_TYPES.contains(t)) {
            throw ApiError.VALIDATION_FAILED.exception("type must be one of [completed, failed, log, progress]")
                    .field("type");
        }
        nonNegativeInteger(o, "step");
        nonNegativeInteger(o, "total_steps");
        number(o, "epoch");
        number(o, "loss");
        number(o, "learning_rate");
        number(o, "grad_norm");
        Object message = o.getValue("message");
        if (message != null && !(message instanceof String)) {
            throw ApiError.VALIDATION_FAILED.exception("message must be a string").field("message");
        }
        return o;
    }

    private static void number(JsonObject o, String field) {
        Object v = o.getValue(field);
        if (v != null && !(v instanceof Number n && Double.isFinite(n.doubleValue()))) {
            throw ApiError.VALIDATION_FAILED.exception(field + " must be a number").field(field);
        }
    }

    private static void nonNegativeInteger(JsonObject o, String field) {
        Object v = o.getValue(field);
        if (v != null && !((v instanceof Integer || v instanceof Long) && ((Number) v).longValue() >= 0)) {
            throw ApiError.VALIDATION_FAILED.exception(field + " must be a whole number of 0 or more").field(field);
        }
    }
}
