package io.slmgen.jobs.slmgen;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.slmgen.jobs.model.Job;
import io.slmgen.jobs.model.JobEvent;
import io.slmgen.shared.db.RowTimestamp;
import io.slmgen.jobs.model.TrainingRun;
import io.slmgen.jobs.repository.JobEntityRepository;
import io.slmgen.jobs.repository.JobEventRepository;
import io.slmgen.jobs.repository.JobRepository.SecretJob;
import io.slmgen.jobs.repository.JobRepository;
import io.slmgen.jobs.repository.TrainingRunRepository;
import io.slmgen.jobs.service.JobSecrets;
import io.slmgen.jobs.service.JobStatus;
import io.slmgen.jobs.service.JobsError;
import io.slmgen.jobs.service.ProgressService;
import io.slmgen.shared.db.CallerTransactions;
import io.slmgen.shared.error.ApiError;
import io.slmgen.shared.error.ApiException;
import io.slmgen.shared.identity.Caller;
import io.slmgen.shared.slmgen.SessionResolver;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * SLMGEN v1's {@code /training/*} over the same job_events as {@code /api/jobs/{id}/events}: a webhook
 * is a {@code progress} event, complete is {@code completed}/{@code failed}; status is computed from the
 * job, its declared run ({@code /start}) and its progress events, as SLMGEN's tracker computed it.
 */
@ApplicationScoped
public class SlmgenTraining {

    static final String NOT_FOUND = "Training session not found";
    static final int MAX_EVENTS = 100_000;

    @Inject
    CallerTransactions tx;
    @Inject
    JobRepository jobs;
    @Inject
    JobEntityRepository jobRows;
    @Inject
    JobEventRepository events;
    @Inject
    TrainingRunRepository runs;
    @Inject
    ProgressService progress;
    @Inject
    SessionResolver sessions;
    @Inject
    JobSecrets secrets;

    /** A session's job, its run and its events, as seen by one caller. */
    public record Snapshot(Job job, Optional<TrainingRun> run, List<JobEvent> events) {
        public UUID jobId() {
            return job.id();
        }

        public long lastSeq() {
            return events.isEmpty() ? 0 : events.get(events.size() - 1).seq();
        }

        public boolean finished() {
            return JobStatus.isFinal(String.valueOf(job.status()));
        }
    }

    // ---- the notebook's calls (X-Job-Secret) ----

    public Uni<Map<String, Object>> start(String secret, Map<String, Object> b) {
        String sid = Slmgen.requiredString(b, "session_id");
        int steps = nonNegative(b, "total_steps", null);
        int epochs = nonNegative(b, "total_epochs", 1);
        Object model = b.get("model_id");
        if (model != null && !(model instanceof String)) {
            throw Slmgen.invalid("model_id", "Input should be a valid string");
        }
        return secretJob(sid, secret).flatMap(job -> tx.runAsService(c -> runs.upsert(c, (UUID) job[0], steps, epochs, (String) model))
                .map(v -> {
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("message", "Training session started");
                    out.put("session_id", sid);
                    out.put("status", slmgenStatus((String) job[1]));
                    return out;
                }));
    }

    public Uni<Map<String, Object>> webhook(String secret, Map<String, Object> b) {
        String sid = Slmgen.requiredString(b, "session_id");
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "progress");
        event.put("step", requiredNumber(b, "step", true));
        event.put("loss", requiredNumber(b, "loss", false));
        event.put("epoch", optionalNumber(b, "epoch", 0, true));
        event.put("learning_rate", optionalNumber(b, "learning_rate", 0.0, false));
        for (String k : List.of("grad_norm", "tokens_per_second", "gpu_memory_used")) {
            Object v = optionalNumber(b, k, null, false);
            if (v != null) {
                event.put(k, v);
            }
        }
        return secretJob(sid, secret).flatMap(job -> progress.record((UUID) job[0], secret, event)
                .map(e -> Map.<String, Object>of("message", "Event received", "received", true))
                .onFailure(ApiException.class).recoverWithUni(err -> ((ApiException) err).status() == 409
                        ? Uni.createFrom().item(ordered("message", "Training already finished, event ignored", "received", false))
                        : Uni.createFrom().failure(err)));
    }

    public Uni<Map<String, Object>> complete(String secret, Map<String, Object> b) {
        String sid = Slmgen.requiredString(b, "session_id");
        Object error = b.get("error");
        if (error != null && !(error instanceof String)) {
            throw Slmgen.invalid("error", "Input should be a valid string");
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", error == null ? "completed" : "failed");
        if (error != null) {
            event.put("message", error);
        }
        Map<String, Object> out = ordered("message", error == null ? "Training marked as completed" : "Training marked as failed",
                "session_id", sid);
        return secretJob(sid, secret).flatMap(job -> progress.record((UUID) job[0], secret, event).map(e -> out)
                .onFailure(ApiException.class).recoverWithUni(err -> ((ApiException) err).status() == 409
                        ? Uni.createFrom().item(out) : Uni.createFrom().failure(err)));
    }

    /** {job id, status} of the session whose job this secret belongs to; 401 otherwise (nothing stored). */
    private Uni<Object[]> secretJob(String sid, String secret) {
        if (secret == null || secret.isBlank()) {
            throw JobsError.MISSING_JOB_SECRET.exception();
        }
        return tx.runAsService(c -> jobs.findBySessionWithSecret(c, sid)).map(f -> {
            SecretJob job = f.filter(j -> secrets.matches(secret, j.secretHash()))
                    .orElseThrow(() -> JobsError.INVALID_JOB_SECRET.exception("Invalid job secret"));
            return new Object[] {job.id(), job.status()};
        });
    }

    // ---- reads (the session rule: owner's token, or none for an anonymous session) ----

    public Uni<Caller> callerFor(Caller current, String sid) {
        return sessions.callerFor(current, sid, NOT_FOUND);
    }

    /**
     * Hand-written SQL on the pool (JobRepository, TrainingRunRepository, JobEventRepository), not Panache: the
     * stream (rest/SlmgenTrainingResource) reads a snapshot for each live event, delivered by JobEventBus
     * outside the request's Vert.x context, and list reads them concurrently; a Hibernate Reactive session
     * serves neither.
     */
    public Uni<Snapshot> snapshot(Caller caller, String sid) {
        return tx.run(caller, c -> jobs.findBySession(c, sid).flatMap(f -> {
            Job job = f.orElseThrow(() -> ApiError.NOT_FOUND.exception(NOT_FOUND));
            UUID id = job.id();
            return runs.find(c, id).flatMap(run -> events.after(c, id, 0, MAX_EVENTS)
                    .map(ev -> new Snapshot(job, run, ev)));
        }));
    }

    public Uni<Map<String, Object>> status(Caller current, String sid) {
        return callerFor(current, sid).flatMap(caller -> snapshot(caller, sid)).map(SlmgenTraining::status);
    }

    public Uni<List<Map<String, Object>>> events(Caller current, String sid, Integer sinceStep) {
        int since = sinceStep == null ? -1 : sinceStep;
        return callerFor(current, sid).flatMap(caller -> snapshot(caller, sid)).map(s -> progressEvents(s).stream()
                .filter(e -> ((Number) e.get("step")).longValue() > since).toList());
    }

    public Uni<Map<String, Object>> latest(Caller current, String sid) {
        return callerFor(current, sid).flatMap(caller -> snapshot(caller, sid)).map(s -> {
            List<Map<String, Object>> p = progressEvents(s);
            if (p.isEmpty()) {
                throw ApiError.NOT_FOUND.exception("No events found for session");
            }
            return p.get(p.size() - 1);
        });
    }

    /** The caller's sessions (SLMGEN listed every session; ours: own jobs only, none without a token). */
    public Uni<List<Map<String, Object>>> list(Caller caller) {
        if (!caller.isUser()) {
            return Uni.createFrom().item(List.of());
        }
        return tx.inSession(caller, () -> jobRows.page(100, 0)).flatMap(rows -> {
            // one snapshot per session, concurrently: each on the pool (tx.run, see snapshot)
            if (rows.isEmpty()) {
                return Uni.createFrom().item(List.<Map<String, Object>>of());
            }
            List<Uni<Map<String, Object>>> all = rows.stream()
                    .map(r -> snapshot(caller, r.sessionId()).map(SlmgenTraining::status)).toList();
            return Uni.join().all(all).andFailFast();
        });
    }

    /** New events of the job after {@code afterSeq} (replay, then live), until a final one. */
    public Uni<Multi<JobEvent.Public>> follow(Caller caller, UUID jobId, long afterSeq) {
        return progress.stream(caller, jobId, afterSeq);
    }

    // ---- SLMGEN's shapes ----

    static String slmgenStatus(String status) {
        return switch (status == null ? "" : status) {
            case JobStatus.CREATED -> "pending";
            case JobStatus.PROCESSING -> "running";
            case JobStatus.CANCELLED -> "failed";
            default -> status;
        };
    }

    static List<Map<String, Object>> progressEvents(Snapshot s) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (JobEvent e : s.events()) {
            if (!"progress".equals(e.type())) {
                continue;
            }
            Map<?, ?> p = e.payload() == null ? Map.of() : e.payload();
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("step", p.get("step") instanceof Number n ? n.longValue() : 0L);
            r.put("loss", p.get("loss") instanceof Number n ? n.doubleValue() : null);
            r.put("epoch", p.get("epoch") instanceof Number n ? n.longValue() : 0L);
            r.put("learning_rate", p.get("learning_rate") instanceof Number n ? n.doubleValue() : 0.0);
            r.put("timestamp", RowTimestamp.text(e.createdAt()));
            r.put("grad_norm", p.get("grad_norm") instanceof Number n ? n.doubleValue() : null);
            r.put("tokens_per_second", p.get("tokens_per_second") instanceof Number n ? n.doubleValue() : null);
            r.put("gpu_memory_used", p.get("gpu_memory_used") instanceof Number n ? n.doubleValue() : null);
            out.add(r);
        }
        return out;
    }

    public static Map<String, Object> status(Snapshot s) {
        Job job = s.job();
        Optional<TrainingRun> run = s.run();
        List<Map<String, Object>> p = progressEvents(s);
        Map<?, ?> cfg = job.trainingConfigObject();
        long totalSteps = run.map(r -> (long) r.totalSteps()).orElse(0L);
        long totalEpochs = run.isPresent() ? run.get().totalEpochs()
                : cfg.get("num_epochs") instanceof Number n ? n.longValue() : 1L;
        Map<String, Object> last = p.isEmpty() ? null : p.get(p.size() - 1);
        long step = last == null ? 0 : (Long) last.get("step");
        double percent = totalSteps == 0 ? 0.0 : Math.min(100.0, (double) step / totalSteps * 100);
        Double eta = eta(p, totalSteps, step);

        String jobStatus = String.valueOf(job.status());
        String startedAt = null;
        String completedAt = null;
        String error = null;
        for (JobEvent e : s.events()) {
            String type = String.valueOf(e.type());
            if (startedAt == null && !JobStatus.isFinal(type)) {
                startedAt = RowTimestamp.text(e.createdAt());
            }
            if (JobStatus.isFinal(type)) {
                completedAt = RowTimestamp.text(e.createdAt());
                if (JobStatus.FAILED.equals(type) && e.payload() != null) {
                    error = e.payload().get("message") instanceof String msg ? msg : "failed";
                }
            }
        }
        if (JobStatus.CANCELLED.equals(jobStatus)) {
            error = "cancelled";
        }

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("session_id", job.sessionId());
        out.put("job_id", job.id().toString());
        out.put("model_id", Slmgen.string(run.map(TrainingRun::modelId).orElse(null), Slmgen.string(cfg.get("hf_model_id"),
                String.valueOf(job.selectedModelId()))));
        out.put("status", slmgenStatus(jobStatus));
        out.put("total_steps", totalSteps);
        out.put("total_epochs", totalEpochs);
        out.put("current_step", step);
        out.put("current_epoch", last == null ? 0L : last.get("epoch"));
        out.put("progress_percent", BigDecimal.valueOf(percent).setScale(2, RoundingMode.HALF_EVEN).doubleValue());
        out.put("latest_loss", last == null ? null : last.get("loss"));
        out.put("eta_seconds", eta);
        out.put("eta_formatted", eta == null ? null : formatEta(eta));
        out.put("created_at", RowTimestamp.text(job.createdAt()));
        out.put("started_at", startedAt);
        out.put("completed_at", completedAt);
        out.put("error_message", error);
        out.put("event_count", p.size());
        return out;
    }

    /** SLMGEN's pace: the last ≤ 20 progress events' seconds per step times the steps left. */
    static Double eta(List<Map<String, Object>> p, long totalSteps, long step) {
        if (p.size() < 2 || totalSteps == 0) {
            return null;
        }
        List<Map<String, Object>> recent = p.subList(Math.max(0, p.size() - 20), p.size());
        Map<String, Object> first = recent.get(0);
        Map<String, Object> last = recent.get(recent.size() - 1);
        long steps = (Long) last.get("step") - (Long) first.get("step");
        if (steps <= 0) {
            return null;
        }
        Duration d = Duration.between(OffsetDateTime.parse((String) first.get("timestamp")),
                OffsetDateTime.parse((String) last.get("timestamp")));
        double seconds = d.toNanos() / 1e9;
        return Math.max(0, totalSteps - step) * (seconds / steps);
    }

    static String formatEta(double eta) {
        long total = (long) eta;
        if (total < 60) {
            return total + "s";
        }
        if (total < 3600) {
            return (total / 60) + "m " + (total % 60) + "s";
        }
        return (total / 3600) + "h " + ((total % 3600) / 60) + "m";
    }

    // ---- validation (pydantic-like) ----

    private static int nonNegative(Map<String, Object> b, String field, Integer fallback) {
        Object v = b.get(field);
        if (v == null) {
            if (fallback == null) {
                throw Slmgen.invalid(field, "Field required");
            }
            return fallback;
        }
        if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < 0
                || ((Number) v).longValue() > Integer.MAX_VALUE) {
            throw Slmgen.invalid(field, "Input should be a valid integer of 0 or more");
        }
        return ((Number) v).intValue();
    }

    private static Object requiredNumber(Map<String, Object> b, String field, boolean integer) {
        if (b.get(field) == null) {
            throw Slmgen.invalid(field, "Field required");
        }
        return optionalNumber(b, field, null, integer);
    }

    private static Object optionalNumber(Map<String, Object> b, String field, Object fallback, boolean integer) {
        Object v = b.get(field);
        if (v == null) {
            return fallback;
        }
        if (integer) {
            if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < 0) {
                throw Slmgen.invalid(field, "Input should be a valid integer");
            }
            return v;
        }
        if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
            throw Slmgen.invalid(field, "Input should be a valid number");
        }
        return v;
    }

    private static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }
}
