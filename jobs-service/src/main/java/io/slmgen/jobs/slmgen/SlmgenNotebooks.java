package io.slmgen.jobs.slmgen;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.slmgen.jobs.client.CatalogClient;
import io.slmgen.jobs.client.CatalogModel;
import io.slmgen.jobs.client.Dataset;
import io.slmgen.jobs.client.DatasetsClient;
import io.slmgen.jobs.client.Headers;
import io.slmgen.jobs.client.Upstream;
import io.slmgen.jobs.model.Job;
import io.slmgen.jobs.repository.JobEntityRepository;
import io.slmgen.jobs.repository.JobRepository;
import io.slmgen.jobs.repository.JobRepository.SecretJob;
import io.slmgen.jobs.model.CreateJobInput;
import io.slmgen.jobs.service.DownloadTokens;
import io.slmgen.jobs.service.JobSecrets;
import io.slmgen.jobs.service.JobService;
import io.slmgen.jobs.service.JobService.SlmgenOptions;
import io.slmgen.jobs.service.ModelResolver;
import io.slmgen.shared.db.CallerTransactions;
import io.slmgen.shared.error.ApiError;
import io.slmgen.jobs.service.JobsError;
import io.slmgen.shared.error.ApiException;
import io.slmgen.shared.identity.ActingCallers;
import io.slmgen.shared.identity.Caller;
import io.slmgen.shared.slmgen.SessionOwner;
import io.slmgen.shared.slmgen.SessionOwnerClient;
import io.slmgen.shared.slmgen.SessionResolver;
import io.smallrye.mutiny.Uni;

/**
 * SLMGEN v1's notebook routes (SPEC §15) over {@link JobService}: generate (create or regenerate the
 * session's one job), the token-authorised download and the public notebook for Colab.
 */
@ApplicationScoped
public class SlmgenNotebooks {

    public static final String SESSION_NOT_FOUND = "Session not found, expired, or access denied. Please upload again.";
    static final String DOWNLOAD_NOT_FOUND = "Session not found, expired, or access denied.";
    static final String BAD_TOKEN = "Invalid or expired download token. Please regenerate the notebook.";
    static final String NOTEBOOK_NOT_FOUND = "Notebook not found or session expired. Please generate a new notebook.";
    static final String NOT_GENERATED = "Notebook not generated yet.";
    /** Used when the session has no remembered recommendation (SLMGEN rendered "general"). */
    static final String DEFAULT_TASK = "conversation";
    static final String DEFAULT_TARGET = "cloud";

    /** The notebook's bytes and the name to serve it under. */
    public record Notebook(String filename, byte[] bytes) {
    }

    private final SessionResolver sessions;
    private final SessionOwnerClient owners;
    private final ActingCallers acting;
    private final DatasetsClient datasets;
    private final CatalogClient catalog;
    private final JobService jobService;
    private final JobRepository jobs;
    private final JobEntityRepository jobRows;
    private final JobSecrets secrets;
    private final DownloadTokens tokens;
    private final CallerTransactions tx;
    private final ModelResolver models;

    public SlmgenNotebooks(SessionResolver sessions, @RestClient SessionOwnerClient owners, ActingCallers acting,
                           @RestClient DatasetsClient datasets, @RestClient CatalogClient catalog, JobService jobService,
                           JobRepository jobs, JobEntityRepository jobRows, JobSecrets secrets, DownloadTokens tokens, CallerTransactions tx,
                           ModelResolver models) {
        this.sessions = sessions;
        this.owners = owners;
        this.acting = acting;
        this.datasets = datasets;
        this.catalog = catalog;
        this.jobService = jobService;
        this.jobs = jobs;
        this.jobRows = jobRows;
        this.secrets = secrets;
        this.tokens = tokens;
        this.tx = tx;
        this.models = models;
    }

    public Uni<Map<String, Object>> generate(Caller current, Map<String, Object> body) {
        String sid = Slmgen.requiredString(body, "session_id");
        Object requested = body.get("model_id");
        if (requested != null && !(requested instanceof String)) {
            throw Slmgen.invalid("model_id", "Input should be a valid string");
        }
        return sessions.callerFor(current, sid, SESSION_NOT_FOUND).flatMap(caller -> datasets
                .bySession(sid, Headers.authorization(caller), Headers.apikey(caller))
                .onFailure().transform(Upstream.failure("datasets-service", m -> ApiError.NOT_FOUND.exception(
                        SESSION_NOT_FOUND)))
                .flatMap(ds -> catalogId(caller, ds, (String) requested)
                        .flatMap(modelId -> generate(caller, sid, ds, modelId))));
    }

    private Uni<Map<String, Object>> generate(Caller caller, String sid, Dataset ds, String modelId) {
        String task = Slmgen.string(ds.selectedTask(), DEFAULT_TASK);
        String target = Slmgen.string(ds.selectedTarget(), DEFAULT_TARGET);
        Map<String, Object> scores = ds.scores();
        SlmgenOptions opts = new SlmgenOptions(scores, true);
        return tx.inSession(caller, () -> jobRows.jobBySession(sid)).flatMap(existing -> existing.isPresent()
                        ? jobService.regenerate(caller, existing.get(), ds, modelId, task, target, opts)
                        : jobService.create(caller, new CreateJobInput(String.valueOf(ds.id()), task, target, modelId, null, null), opts))
                .map(created -> {
                    Job job = created.job();
                    String secret = created.jobSecret();
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("session_id", sid);
                    out.put("notebook_filename", job.notebookFilename());
                    out.put("download_url", "/download/" + sid + "?token=" + tokens.issue(sid, secrets.hash(secret)));
                    out.put("colab_url", job.colabUrl());
                    out.put("message", "Notebook generated for " + job.selectedModelName() + "!");
                    out.put("job_id", job.id().toString());
                    out.put("job_secret", secret);
                    return out;
                });
    }

    /**
     * The HF id the app sends (or the session's remembered primary) as the catalog's id; an id that is
     * not the catalog's is a custom model, used as itself once catalog-service has validated it (SPEC §15).
     * Anything else gets SLMGEN's "Invalid model_id. Valid options: [...]".
     */
    private Uni<String> catalogId(Caller caller, Dataset ds, String requested) {
        if (requested == null) {
            String remembered = ds.selectedModelId();
            if (remembered == null || remembered.isBlank()) {
                throw JobsError.NO_MODEL.exception();
            }
            return Uni.createFrom().item(remembered);
        }
        return catalog.models(100, Headers.authorization(caller), Headers.apikey(caller))
                .onFailure().transform(Upstream.failure("catalog-service", null))
                .flatMap(page -> {
                    List<String> valid = new ArrayList<>();
                    for (CatalogModel m : page == null || page.items() == null ? List.<CatalogModel>of() : page.items()) {
                        if (m != null && m.hfModelId() != null) {
                            if (m.hfModelId().equals(requested)) {
                                return Uni.createFrom().item(String.valueOf(m.id()));
                            }
                            valid.add(m.hfModelId());
                        }
                    }
                    ApiException invalid = JobsError.INVALID_MODEL.exception(
                            "Invalid model_id. Valid options: " + Slmgen.pyList(valid));
                    if (!ModelResolver.isHubId(requested)) {
                        throw invalid;
                    }
                    return models.validated(caller, requested, m -> invalid).map(m -> String.valueOf(m.id()));
                });
    }

    /** The token alone authorises (the link has no headers); the notebook is read as the session's owner. */
    public Uni<Notebook> download(String sid, String token) {
        if (token == null) {
            throw ApiError.VALIDATION_FAILED.exception("Field required: token");
        }
        return tx.runAsService(c -> jobs.findBySessionWithSecret(c, sid)).flatMap(found -> {
            SecretJob job = found.filter(j -> tokens.valid(token, sid, j.secretHash()))
                    .orElseThrow(() -> ApiError.FORBIDDEN.exception(BAD_TOKEN));
            return read(sid, job, DOWNLOAD_NOT_FOUND);
        });
    }

    /** Public by session id (Colab fetches it without credentials); off with slmgen.public-notebooks=false. */
    public Uni<Notebook> publicNotebook(String sid) {
        return tx.runAsService(c -> jobs.findBySessionWithSecret(c, sid)).flatMap(found -> {
            SecretJob job = found.orElseThrow(() -> ApiError.NOT_FOUND.exception(NOTEBOOK_NOT_FOUND));
            return read(sid, job, NOTEBOOK_NOT_FOUND);
        });
    }

    private Uni<Notebook> read(String sid, SecretJob job, String goneText) {
        if (job.notebookPath() == null) {
            throw ApiError.NOT_FOUND.exception(NOT_GENERATED);
        }
        return owner(sid, goneText).flatMap(owner -> {
            if (!owner.user_id().equals(job.userId())) {
                throw ApiError.NOT_FOUND.exception(goneText);
            }
            Caller as = ownerCaller(owner);
            return jobService.notebookBytes(as, job.id(), job.notebookPath())
                    .onFailure(ApiException.class).transform(e -> ((ApiException) e).status() == 404
                            ? ApiError.NOT_FOUND.exception(NOTEBOOK_NOT_FOUND) : e)
                    .map(b -> new Notebook(String.valueOf(job.notebookFilename()), b));
        });
    }

    /** The session's owner from datasets-service (service key); gone or expired anonymous sessions are 404. */
    private Uni<SessionOwner> owner(String sid, String goneText) {
        String serviceKey = acting.serviceRoleKey();
        return owners.owner(sid, "Bearer " + serviceKey, serviceKey)
                .onFailure(WebApplicationException.class).transform(e -> {
                    int status = ((WebApplicationException) e).getResponse().getStatus();
                    return status == 404 || status == 400 ? ApiError.NOT_FOUND.exception(goneText)
                            : ApiError.SERVICE_UNAVAILABLE.exception("datasets-service answered " + status);
                })
                .onFailure().transform(Upstream.failure("datasets-service", m -> ApiError.NOT_FOUND.exception(
                        goneText)))
                .map(o -> {
                    if (o == null || o.expired()) {
                        throw ApiError.NOT_FOUND.exception(goneText);
                    }
                    return o;
                });
    }

    /** A short-lived caller for the owner, only to read their own notebook object (storage RLS). */
    private Caller ownerCaller(SessionOwner owner) {
        UUID user = owner.user_id();
        String token = acting.issuer().userToken(user, null, owner.owner_is_anonymous(), Duration.ofMinutes(2));
        String anonKey = acting.anonKey();
        return new Caller("authenticated", user, null, owner.owner_is_anonymous(), "{}", Map.of(), token, anonKey);
    }

    static Optional<String> nonBlank(Object o) {
        return o instanceof String s && !s.isBlank() ? Optional.of(s) : Optional.empty();
    }
}
