package io.slmgen.jobs.slmgen;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.slmgen.jobs.model.Job;
import io.slmgen.jobs.repository.JobRepository;
import io.slmgen.jobs.model.NewJob;
import io.slmgen.jobs.repository.JobEntityRepository;
import io.slmgen.jobs.service.JobService;
import io.slmgen.jobs.service.JobStatus;
import io.slmgen.shared.db.CallerTransactions;
import io.slmgen.shared.error.ApiError;
import io.slmgen.jobs.service.JobsError;
import io.slmgen.shared.error.ApiException;
import io.slmgen.shared.identity.Caller;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/** SLMGEN v1's {@code /jobs} (the History page): the caller's own rows under the seed's policies. */
@ApplicationScoped
public class SlmgenJobs {

    static final String NOT_FOUND = "Job not found";
    /** SPEC §7's status machine, as (from → allowed to). */
    static final Map<String, Set<String>> MOVES = Map.of(
            JobStatus.CREATED, Set.of(JobStatus.PROCESSING, JobStatus.CANCELLED),
            JobStatus.PROCESSING, Set.of(JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED));

    @Inject
    CallerTransactions tx;
    @Inject
    JobRepository jobs;
    @Inject
    JobEntityRepository jobRows;
    @Inject
    JobService jobService;

    public Uni<List<Job>> list(Caller caller, Integer limit, Integer offset) {
        Slmgen.requireUser(caller);
        int l = limit == null ? 50 : Math.max(1, Math.min(limit, 100));
        int o = offset == null ? 0 : Math.max(0, offset);
        return tx.inSession(caller, () -> jobRows.page(l, o));
    }

    public Uni<Job> create(Caller caller, Map<String, Object> b) {
        Slmgen.requireUser(caller);
        if (b == null) {
            throw Slmgen.invalid("body", "Field required");
        }
        Object cfg = b.get("training_config");
        if (cfg != null && !(cfg instanceof Map<?, ?>)) {
            throw Slmgen.invalid("training_config", "Input should be a valid dictionary");
        }
        @SuppressWarnings("unchecked")
        NewJob row = new NewJob(UUID.randomUUID(), caller.userId(), Slmgen.requiredString(b, "session_id"),
                Slmgen.requiredString(b, "dataset_filename"), Slmgen.requiredString(b, "dataset_path"),
                integer(b, "total_examples"), integer(b, "total_tokens"), number(b, "quality_score"),
                Slmgen.requiredString(b, "task_type"), Slmgen.requiredString(b, "deployment_target"),
                Slmgen.requiredString(b, "selected_model_id"), Slmgen.requiredString(b, "selected_model_name"),
                number(b, "model_score"), cfg == null ? new JsonObject() : new JsonObject((Map<String, Object>) cfg),
                null, null, null);
        return tx.run(caller, c -> jobs.insert(c, row));
    }

    public Uni<Job> get(Caller caller, String id) {
        Slmgen.requireUser(caller);
        UUID uuid = uuid(id);
        return tx.inSession(caller, () -> jobRows.job(uuid)).map(f -> f.orElseThrow(() -> ApiError.NOT_FOUND.exception(
                NOT_FOUND)));
    }

    public Uni<Job> bySession(Caller caller, String sid) {
        Slmgen.requireUser(caller);
        return tx.inSession(caller, () -> jobRows.jobBySession(sid)).map(f -> f.orElseThrow(() -> ApiError.NOT_FOUND.exception(NOT_FOUND)));
    }

    /** Sets the given (non-null) fields; 400 when there is none; illegal status moves are 409. */
    public Uni<Job> patch(Caller caller, String id, Map<String, Object> b) {
        Slmgen.requireUser(caller);
        UUID uuid = uuid(id);
        Map<String, Object> fields = new LinkedHashMap<>();
        if (b != null) {
            for (String k : List.of("notebook_filename", "notebook_path", "colab_url", "status")) {
                Object v = b.get(k);
                if (v != null) {
                    if (!(v instanceof String)) {
                        throw Slmgen.invalid(k, "Input should be a valid string");
                    }
                    fields.put(k, v);
                }
            }
            Object cfg = b.get("training_config");
            if (cfg != null) {
                if (!(cfg instanceof Map<?, ?> m)) {
                    throw Slmgen.invalid("training_config", "Input should be a valid dictionary");
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> mm = (Map<String, Object>) m;
                fields.put("training_config", new JsonObject(mm));
            }
        }
        if (fields.isEmpty()) {
            throw JobsError.NO_FIELDS.exception();
        }
        return tx.run(caller, c -> jobs.findForUpdate(c, uuid).flatMap(f -> {
            Job job = f.orElseThrow(() -> ApiError.NOT_FOUND.exception(NOT_FOUND));
            Object to = fields.get("status");
            String from = String.valueOf(job.status());
            if (to != null && !to.equals(from) && !MOVES.getOrDefault(from, Set.of()).contains(to)) {
                throw JobsError.ILLEGAL_TRANSITION.exception("Cannot change a job's status from " + from + " to " + to);
            }
            return jobs.patch(c, uuid, fields).map(p -> p.orElseThrow(() -> ApiError.NOT_FOUND.exception(NOT_FOUND)));
        }));
    }

    public Uni<Void> delete(Caller caller, String id) {
        Slmgen.requireUser(caller);
        UUID uuid = uuid(id);
        return jobService.delete(caller, uuid).onFailure(ApiException.class)
                .transform(e -> ((ApiException) e).status() == 404 ? ApiError.NOT_FOUND.exception(NOT_FOUND) : e);
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ApiError.NOT_FOUND.exception(NOT_FOUND);
        }
    }

    private static int integer(Map<String, Object> b, String field) {
        Object v = b.get(field);
        if (v == null) {
            throw Slmgen.invalid(field, "Field required");
        }
        if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() > Integer.MAX_VALUE
                || ((Number) v).longValue() < Integer.MIN_VALUE) {
            throw Slmgen.invalid(field, "Input should be a valid integer");
        }
        return ((Number) v).intValue();
    }

    private static double number(Map<String, Object> b, String field) {
        Object v = b.get(field);
        if (v == null) {
            throw Slmgen.invalid(field, "Field required");
        }
        if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
            throw Slmgen.invalid(field, "Input should be a valid number");
        }
        return n.doubleValue();
    }
}
