package io.slmgen.jobs.service;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import io.slmgen.jobs.client.CatalogClient;
import io.slmgen.jobs.client.CatalogModel;
import io.slmgen.jobs.client.Dataset;
import io.slmgen.jobs.client.DatasetsClient;
import io.slmgen.jobs.client.Headers;
import io.slmgen.jobs.client.Recommendation;
import io.slmgen.jobs.client.Requests;
import io.slmgen.jobs.client.StorageClient;
import io.slmgen.jobs.client.StorageObjects;
import io.slmgen.jobs.client.StorageObjects.ObjectRef;
import io.slmgen.jobs.client.TrainingConfig;
import io.slmgen.jobs.client.Upstream;
import io.slmgen.jobs.config.JobsConfig;
import io.slmgen.jobs.model.CreateJobInput;
import io.slmgen.jobs.model.CreatedJob;
import io.slmgen.jobs.model.Job;
import io.slmgen.jobs.notebook.ModelTraits;
import io.slmgen.jobs.notebook.NotebookRenderer;
import io.slmgen.jobs.notebook.NotebookSpec;
import io.slmgen.jobs.repository.JobRepository;
import io.slmgen.jobs.model.NewJob;
import io.slmgen.jobs.repository.JobCreationRepository;
import io.slmgen.jobs.repository.JobEntityRepository;
import io.slmgen.shared.api.Ids;
import io.slmgen.shared.api.Page;
import io.slmgen.shared.api.PageJson;
import io.slmgen.shared.db.CallerTransactions;
import io.slmgen.shared.error.ApiError;
import io.slmgen.shared.error.ApiException;
import io.slmgen.shared.error.ValidationErrors;
import io.slmgen.shared.identity.Caller;
import io.slmgen.shared.training.TrainingRules;
import io.slmgen.shared.training.TrainingValues;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/**
 * Jobs (SPEC §7). Creating one gathers the dataset, the recommendation and the training config from
 * the other services (as the caller), renders the notebook, then - in this order - commits the row,
 * stores the notebook, links the dataset and signs the link. If a step after the commit fails, the
 * steps already done are undone (notebook object deleted, row deleted), so nothing half-made remains.
 * The row is committed with a job_creations marker that is removed only when everything is done; if
 * the service dies in between, {@link CreationSweeper} undoes the job after slmgen.jobs.creation-timeout.
 */
@ApplicationScoped
public class JobService {

    private static final Logger LOG = Logger.getLogger(JobService.class);
    static final String NOTEBOOKS = "notebooks";
    static final String DATASETS = "datasets";

    private final CallerTransactions tx;
    private final JobRepository jobs;
    private final JobEntityRepository jobRows;
    private final JobCreationRepository creations;
    private final DatasetsClient datasets;
    private final CatalogClient catalog;
    private final StorageClient storage;
    private final StorageObjects objects;
    private final JobSecrets secrets;
    private final JobsConfig config;
    private final ProgressService progress;
    private final ObjectMapper mapper;
    private final ModelResolver models;
    private final Validator validator;
    private final NotebookRenderer renderer = new NotebookRenderer();

    public JobService(CallerTransactions tx, JobRepository jobs, JobEntityRepository jobRows,
                      JobCreationRepository creations, @RestClient DatasetsClient datasets,
                      @RestClient CatalogClient catalog, @RestClient StorageClient storage, StorageObjects objects,
                      JobSecrets secrets, JobsConfig config, ProgressService progress, ObjectMapper mapper,
                      ModelResolver models, Validator validator) {
        this.tx = tx;
        this.validator = validator;
        this.models = models;
        this.mapper = mapper;
        this.jobs = jobs;
        this.jobRows = jobRows;
        this.creations = creations;
        this.datasets = datasets;
        this.catalog = catalog;
        this.storage = storage;
        this.objects = objects;
        this.secrets = secrets;
        this.config = config;
        this.progress = progress;
    }

    /** What the other services told us, gathered before anything is written. */
    private record Plan(Dataset dataset, CatalogModel model, Double score, Integer minutes,
                        TrainingConfig config, TrainingValues values) {
        Plan withScore(double s) {
            return new Plan(dataset, model, s, minutes, config, values);
        }
    }

    public Uni<CreatedJob> create(Caller caller, CreateJobInput in) {
        return create(caller, in, null);
    }

    /**
     * What SLMGEN's generate-notebook adds to a create: the model's score from the session's last
     * ranking (catalog id → score) and SLMGEN's notebook filename.
     */
    public record SlmgenOptions(Map<String, Object> scores, boolean slmgenFilename) {
        double scoreOf(Object modelId, double fallback) {
            return scores != null && modelId != null && scores.get(modelId.toString()) instanceof Number n ? n.doubleValue() : fallback;
        }
    }

    public Uni<CreatedJob> create(Caller caller, CreateJobInput in, SlmgenOptions opts) {
        UUID user = caller.requireUser();
        if (in == null) {
            throw ApiError.VALIDATION_FAILED.exception(
                    "a JSON body with dataset_id, task_type and deployment_target is required").field("dataset_id");
        }
        // the body's rules (CreateJobInput), step by step between the UUID checks: the first fault is reported
        check(in, CreateJobInput.Steps.DATASET);
        UUID datasetId = Ids.uuid(in.datasetId(), "dataset_id");
        check(in, CreateJobInput.Steps.DESCRIBED);
        String task = in.taskType().strip();
        String target = in.deploymentTarget().strip();
        String configId = in.trainingConfigId() == null ? null
                : Ids.uuid(in.trainingConfigId(), "training_config_id").toString();
        check(in, CreateJobInput.Steps.MODEL);
        if (in.overrides() != null) {
            TrainingRules.check(in.overrides());
        }

        return datasets.get(datasetId.toString(), Headers.authorization(caller), Headers.apikey(caller))
                .onFailure().transform(Upstream.failure("datasets-service",
                        m -> ApiError.NOT_FOUND.exception("no dataset with id " + datasetId).field("dataset_id")))
                .flatMap(ds -> {
                    if (ds.jobId() != null) {
                        throw JobsError.DATASET_HAS_JOB.exception("the dataset already has a job: " + ds.jobId());
                    }
                    if (!user.toString().equals(String.valueOf(ds.userId()))) {
                        throw ApiError.NOT_FOUND.exception("no dataset with id " + datasetId).field("dataset_id");
                    }
                    Requests.Recommend ask = new Requests.Recommend(datasetId.toString(), task, target);
                    Uni<Recommendation> rec = catalog.recommend(Headers.authorization(caller), Headers.apikey(caller), ask)
                            .onFailure().transform(Upstream.failure("catalog-service",
                                    m -> ApiError.NOT_FOUND.exception("no dataset with id " + datasetId)
                                            .field("dataset_id")));
                    Uni<TrainingConfig> cfg = catalog.resolveConfig(configId, Headers.authorization(caller), Headers.apikey(caller))
                            .onFailure().transform(Upstream.failure("catalog-service",
                                    m -> ApiError.NOT_FOUND.exception("no training config with id " + configId)
                                            .field("training_config_id")));
                    return Uni.combine().all().unis(rec, cfg).asTuple()
                            .flatMap(t -> choose(caller, ds, t.getItem1(), t.getItem2(), in, opts));
                })
                .flatMap(plan -> build(caller, user, task, target, plan, opts != null && opts.slmgenFilename()));
    }

    private Uni<Plan> choose(Caller caller, Dataset ds, Recommendation rec, TrainingConfig cfg,
                             CreateJobInput in, SlmgenOptions opts) {
        return choose0(caller, ds, rec, cfg, in).map(p -> opts == null ? p : p.withScore(opts.scoreOf(p.model().id(), p.score())));
    }

    private Uni<Plan> choose0(Caller caller, Dataset ds, Recommendation rec, TrainingConfig cfg, CreateJobInput in) {
        TrainingValues values = TrainingValues.DEFAULTS.with(cfg.values()).with(in.overrides());
        TrainingRules.check(values);
        List<Recommendation.Ranked> ranked = rec.ranked();
        if (ranked.isEmpty()) {
            throw ApiError.BAD_GATEWAY.exception("catalog-service recommended no model");
        }
        if (in.modelId() == null) {
            Recommendation.Ranked p = ranked.get(0);
            return Uni.createFrom().item(new Plan(ds, p.model(), number(p.score()), p.estimatedTrainingMinutes(), cfg, values));
        }
        Optional<Recommendation.Ranked> listed = ranked.stream().filter(r -> in.modelId().equals(r.modelId())).findFirst();
        if (listed.isPresent()) {
            Recommendation.Ranked r = listed.get();
            return Uni.createFrom().item(new Plan(ds, r.model(), number(r.score()), r.estimatedTrainingMinutes(), cfg, values));
        }
        return models.model(caller, in.modelId(), m -> ApiError.VALIDATION_FAILED.exception(
                "model_id must be a catalog model id (e.g. \"qwen25\") or a compatible Hugging Face model id").field("model_id"))
                // not among the ranked recommendations: no score from the scorer for it
                .map(m -> new Plan(ds, m, 0.0, null, cfg, values));
    }

    private Uni<CreatedJob> build(Caller caller, UUID user, String task, String target, Plan plan,
                                           boolean slmgenFilename) {
        Dataset ds = plan.dataset();
        CatalogModel model = plan.model();
        UUID jobId = Ids.uuid(String.valueOf(ds.allocatedJobId()), "allocated_job_id");
        String sessionId = String.valueOf(ds.sessionId());
        String modelName = String.valueOf(model.name());
        String notebookName = notebookFilename(modelName, sessionId, slmgenFilename);
        String[] notebookPath = {user.toString(), jobId.toString(), notebookName};
        String secret = secrets.generate();

        return render(caller, jobId, ds, model, task, target, plan.values(), plan.minutes(), secret).flatMap(notebook -> {
            NewJob row = new NewJob(jobId, user, sessionId, String.valueOf(ds.filename()),
                    String.valueOf(ds.storagePath()), (int) ds.examples(), (int) ds.tokens(), ds.quality(), task, target,
                    String.valueOf(model.id()), modelName, plan.score(), trainingConfig(plan.values(), plan.config(), model),
                    notebookName, String.join("/", notebookPath), colabUrl(sessionId));
            // hand-written (JobRepository.insert): a second create for the same dataset is a 409 whose answer
            // carries PostgreSQL's detail, which Hibernate Reactive drops
            return tx.run(caller, c -> jobs.insert(c, row).call(() -> jobs.insertSecret(c, jobId, secrets.hash(secret)))
                            // durable "being created" marker with the object to remove: a crash before the
                            // marker is removed is undone by CreationSweeper
                            .call(() -> jobs.markCreating(c, jobId, String.join("/", notebookPath))))
                    .flatMap(job -> publish(caller, job, secret, notebookPath, notebook, ds)
                            .onFailure().call(err -> compensate(caller, jobId, notebookPath, err)));
        });
    }

    /** The notebook of a job: the dataset embedded (small) or linked (signed), progress reporting when public. */
    private Uni<byte[]> render(Caller caller, UUID jobId, Dataset ds, CatalogModel model, String task,
                               String target, TrainingValues values, Integer minutes, String secret) {
        return datasetSource(caller, ds).map(src -> {
            String eventsUrl = config.publicBase().map(b -> b + "/api/jobs/" + jobId + "/events").orElse(null);
            NotebookSpec spec = new NotebookSpec(jobId, String.valueOf(model.name()), String.valueOf(model.id()),
                    string(model.unslothModelId(), string(model.hfModelId(), null)),
                    string(model.chatTemplate(), null), Boolean.TRUE.equals(model.loadIn4bit()),
                    Boolean.TRUE.equals(model.isGated()), task, target, values,
                    String.valueOf(ds.filename()), ds.examples(), minutes,
                    src.url(), src.bytes(), eventsUrl, eventsUrl == null ? null : secret, ModelTraits.of(model));
            return NotebookRenderer.bytes(renderer.render(spec));
        });
    }

    /** The dataset as the notebook gets it: its bytes (embedded) or a signed link, exactly one of them. */
    private record DatasetSource(byte[] bytes, String url) {
    }

    /**
     * Embeds the dataset when its REAL size - storage's answer, read as the caller - is within
     * slmgen.jobs.embed-dataset-max-bytes, else links it. The row's file_size is never used: the owner
     * can write any value there (SPEC §14). The read itself stops at the limit too, so an object that
     * grew after its size was read is linked instead of loaded.
     */
    private Uni<DatasetSource> datasetSource(Caller caller, Dataset ds) {
        String[] p = datasetObject(caller, ds.storagePath());
        ObjectRef ref = new ObjectRef(DATASETS, p);
        ApiException missing = JobsError.DATASET_OBJECT_MISSING.exception();
        long max = config.embedDatasetMaxBytes();
        Uni<DatasetSource> linked = Uni.createFrom().deferred(() -> objects.sign(caller, ref, config.datasetUrlExpirySeconds(), missing)
                .map(url -> new DatasetSource(null, absolute(url))));
        return objects.size(caller, ref, missing).flatMap(size -> size > max ? linked
                : objects.readAtMost(caller, ref, max, missing)
                        .flatMap(bytes -> bytes.isPresent() ? Uni.createFrom().item(new DatasetSource(bytes.get(), null)) : linked));
    }

    /**
     * The dataset object's path segments from its row, which must name an object in the caller's own
     * folder ({user_id}/…/{name}, as the storage policies and datasets' row check demand): the row is
     * client-written (SPEC §14). It is then read as the caller, so storage's policies decide as well.
     */
    static String[] datasetObject(Caller caller, Object storagePath) {
        String user = String.valueOf(caller.requireUser());
        if (storagePath instanceof String path && path.length() <= 1024) {
            String[] p = path.split("/", -1);
            boolean ok = p.length >= 2 && p[0].equals(user);
            for (int i = 1; ok && i < p.length; i++) {
                ok = !p[i].isEmpty() && !".".equals(p[i]) && !"..".equals(p[i]) && p[i].chars().noneMatch(Character::isISOControl);
            }
            if (ok) {
                return p;
            }
        }
        throw JobsError.DATASET_OBJECT_INVALID.exception();
    }

    /**
     * The segments of a job's notebook path when it names an object in the job's own folder
     * ({user_id}/{job_id}/{name}), the only place this service writes notebooks; empty otherwise. The
     * owner can rewrite jobs.notebook_path, so nothing is read, signed or deleted outside that folder.
     */
    static Optional<String[]> jobObject(String path, Object userId, Object jobId) {
        if (path != null && userId != null && jobId != null) {
            String[] p = path.split("/", -1);
            if (p.length == 3 && p[0].equals(userId.toString()) && p[1].equals(jobId.toString())
                    && !p[2].isEmpty() && !".".equals(p[2]) && !"..".equals(p[2])) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Colab opening the public notebook route, when a public URL is configured. */
    public String colabUrl(String sessionId) {
        return config.publicBase().map(b -> "https://colab.research.google.com/notebooks/empty.ipynb#fileId="
                + URLEncoder.encode(b + "/slmgen/notebooks/" + sessionId + ".ipynb", StandardCharsets.UTF_8)).orElse(null);
    }

    /**
     * /api: {@code finetune_<slug>_<slug(sid[:8])>.ipynb}. SLMGEN: {@code finetune_{name.lower().replace(' ', '_')}_{sid[:8]}.ipynb}
     * with anything but letters, digits, '.', '_' and '-' dropped (it becomes a storage key and a header value).
     */
    static String notebookFilename(String modelName, String sessionId, boolean slmgen) {
        String sid8 = sessionId.length() > 8 ? sessionId.substring(0, 8) : sessionId;
        if (!slmgen) {
            return "finetune_" + slug(modelName) + "_" + slug(sid8) + ".ipynb";
        }
        String name = modelName.toLowerCase(Locale.ROOT).replace(' ', '_').replaceAll("[^a-z0-9._-]", "");
        name = name.replaceAll("^[.]+", "");
        if (name.length() > 60) {
            name = name.substring(0, 60);
        }
        String sid = sid8.replaceAll("[^A-Za-z0-9._-]", "");
        return "finetune_" + (name.isEmpty() ? "model" : name) + "_" + sid + ".ipynb";
    }

    /**
     * SLMGEN regeneration: the session's one job gets the chosen model, its score, a fresh training config
     * resolution, a new notebook (stored before the row changes, the old object removed after), a new
     * colab_url and a new secret (the previous one stops working). Runs as {@code caller} (RLS).
     */
    public Uni<CreatedJob> regenerate(Caller caller, Job job, Dataset ds,
                                               String catalogModelId, String task, String target, SlmgenOptions opts) {
        caller.requireUser();
        UUID jobId = job.id();
        String owner = job.userId().toString();
        String sessionId = job.sessionId();
        Uni<CatalogModel> model = models.model(caller, catalogModelId, m -> JobsError.INVALID_MODEL.exception());
        Uni<TrainingConfig> cfg = catalog.resolveConfig(null, Headers.authorization(caller), Headers.apikey(caller))
                .onFailure().transform(Upstream.failure("catalog-service", null));
        return Uni.combine().all().unis(model, cfg).asTuple().flatMap(t -> {
            CatalogModel m = t.getItem1();
            TrainingValues values = TrainingValues.DEFAULTS.with(t.getItem2().values());
            TrainingRules.check(values);
            boolean sameModel = catalogModelId.equals(job.selectedModelId());
            double score = opts.scoreOf(catalogModelId, sameModel ? job.modelScore() : 0.0);
            String modelName = String.valueOf(m.name());
            String name = notebookFilename(modelName, sessionId, opts.slmgenFilename());
            String[] path = {owner, jobId.toString(), name};
            // only an object in the job's own folder is ever removed (the owner can rewrite the column)
            String oldPath = jobObject(job.notebookPath(), owner, jobId).map(p -> String.join("/", p)).orElse(null);
            String secret = secrets.generate();
            JsonObject training = trainingConfig(values, t.getItem2(), m);
            return render(caller, jobId, ds, m, task, target, values, null, secret)
                    .flatMap(nb -> storage.upload(NOTEBOOKS, path[0], path[1], path[2], "true",
                                    Headers.authorization(caller), Headers.apikey(caller), nb)
                            .onFailure().transform(Upstream.failure("storage-service", null)))
                    .flatMap(x -> tx.run(caller, c -> jobs.regenerate(c, jobId, task, target, catalogModelId, modelName, score,
                                    training, name, String.join("/", path), colabUrl(sessionId))
                            .call(row -> jobs.replaceSecret(c, jobId, secrets.hash(secret))))
                            .onFailure().call(err -> String.join("/", path).equals(oldPath) ? Uni.createFrom().voidItem()
                                    : deleteQuietly(caller, path)))
                    .call(row -> oldPath == null || oldPath.equals(String.join("/", path)) ? Uni.createFrom().voidItem()
                            : deleteQuietly(caller, oldPath.split("/", 3)))
                    .map(row -> new CreatedJob(row, null, secret));
        });
    }

    private Uni<Void> deleteQuietly(Caller caller, String[] p) {
        if (p.length != 3) {
            return Uni.createFrom().voidItem();
        }
        return storage.delete(NOTEBOOKS, p[0], p[1], p[2], Headers.authorization(caller), Headers.apikey(caller))
                .replaceWithVoid()
                .onFailure().invoke(e -> LOG.warnf("could not remove notebook object %s: %s", String.join("/", p), e.getMessage()))
                .onFailure().recoverWithNull();
    }

    /**
     * The bytes of the job's notebook, read from storage as {@code owner}: only from the job's own folder
     * and at most {@link JobsConfig#maxNotebookBytes()} of them (the owner can rewrite notebook_path and
     * upload anything there; this route may be public).
     */
    public Uni<byte[]> notebookBytes(Caller owner, UUID jobId, String notebookPath) {
        ApiException missing = ApiError.NOT_FOUND.exception("the notebook object is missing from storage");
        String[] p = jobObject(notebookPath, owner.userId(), jobId).orElseThrow(() -> missing);
        return objects.readAtMost(owner, new ObjectRef(NOTEBOOKS, p), config.maxNotebookBytes(), missing)
                .map(b -> b.orElseThrow(() -> JobsError.NOTEBOOK_TOO_LARGE.exception()));
    }

    /** The steps after the row is committed: store the notebook, link the dataset, sign the link. */
    private Uni<CreatedJob> publish(Caller caller, Job job, String secret, String[] nb, byte[] notebook,
                                             Dataset ds) {
        String jobId = job.id().toString();
        return storage.upload(NOTEBOOKS, nb[0], nb[1], nb[2], "true", Headers.authorization(caller), Headers.apikey(caller), notebook)
                .onFailure().transform(Upstream.failure("storage-service", null))
                .chain(() -> datasets.link(String.valueOf(ds.id()), Headers.authorization(caller), Headers.apikey(caller), new Requests.LinkJob(jobId))
                        .onFailure().transform(Upstream.failure("datasets-service",
                                m -> ApiError.NOT_FOUND.exception(
                                        "the dataset disappeared while the job was created"))))
                .chain(() -> sign(caller, NOTEBOOKS, nb, config.notebookUrlExpirySeconds()))
                .call(() -> tx.inSessionAsService(() -> creations.done(UUID.fromString(jobId))).invoke(done -> {
                    if (!done) {
                        throw JobsError.CREATION_TIMED_OUT.exception()
                                .header("Retry-After", "1");
                    }
                }))
                // the secret is shown once: only its HMAC is stored
                .map(url -> new CreatedJob(job, url, secret));
    }

    private Uni<Void> compensate(Caller caller, UUID jobId, String[] nb, Throwable cause) {
        LOG.warnf("creating job %s failed (%s): undoing", jobId, cause.getMessage());
        return storage.delete(NOTEBOOKS, nb[0], nb[1], nb[2], Headers.authorization(caller), Headers.apikey(caller)).replaceWithVoid()
                .onFailure().recoverWithUni(e -> Uni.createFrom().voidItem())
                .chain(() -> tx.inSession(caller, () -> jobRows.deleteJob(jobId)))
                .onFailure().invoke(e -> LOG.errorf("could not undo job %s: %s", jobId, e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /**
     * A page of the caller's jobs as the JSON of a {@link Page} (SPEC §13's hot read path): PostgreSQL
     * renders the rows and counts them in one statement; the service only frames the text.
     */
    public Uni<byte[]> listJson(Caller caller, Integer limit, Integer offset) {
        caller.requireUser();
        int[] b = Page.bounds(limit, offset);
        return tx.run(caller, c -> jobs.listJson(c, b[0], b[1]))
                .map(page -> PageJson.render(page.items(), page.total(), b[0], b[1]));
    }

    public Uni<Job> get(Caller caller, UUID id) {
        caller.requireUser();
        return tx.inSession(caller, () -> jobRows.job(id)).map(f -> f.orElseThrow(() -> notFound(id)));
    }

    public Uni<Job> bySession(Caller caller, String sessionId) {
        caller.requireUser();
        return tx.inSession(caller, () -> jobRows.jobBySession(sessionId))
                .map(f -> f.orElseThrow(() -> ApiError.NOT_FOUND.exception("no job for session " + sessionId)));
    }

    /** Deletes the row and its notebook object together: the row only goes if the object could be removed. */
    public Uni<Void> delete(Caller caller, UUID id) {
        caller.requireUser();
        return tx.inSession(caller, () -> jobRows.deleteJob(id).flatMap(f -> {
            Job job = f.orElseThrow(() -> notFound(id));
            Optional<String[]> object = jobObject(job.notebookPath(), job.userId(), job.id());
            if (object.isEmpty()) {
                // no notebook, or a path outside the job's folder (rewritten by the owner): nothing of ours to remove
                return Uni.createFrom().voidItem();
            }
            String[] p = object.get();
            return storage.delete(NOTEBOOKS, p[0], p[1], p[2], Headers.authorization(caller), Headers.apikey(caller)).replaceWithVoid()
                    .onFailure().recoverWithUni(err -> {
                        Throwable t = Upstream.translate(err, "storage-service", m -> null);
                        // an object that is already gone is fine (storage-api answers 400/404 for it)
                        if (t == null || (t instanceof ApiException a && (a.status() == 400 || a.status() == 404))) {
                            return Uni.createFrom().voidItem();
                        }
                        return Uni.createFrom().failure(t);
                    });
        }));
    }

    /** A fresh signed link to the job's notebook. */
    public Uni<String> notebookUrl(Caller caller, UUID id) {
        return get(caller, id).flatMap(job -> {
            String[] p = jobObject(job.notebookPath(), job.userId(), job.id())
                    .orElseThrow(() -> ApiError.NOT_FOUND.exception("the job has no notebook"));
            return sign(caller, NOTEBOOKS, p, config.notebookUrlExpirySeconds());
        });
    }

    public Uni<Job> cancel(Caller caller, UUID id) {
        caller.requireUser();
        return tx.run(caller, c -> jobs.transition(c, id, JobStatus.CANCELLABLE, JobStatus.CANCELLED)
                        .flatMap(moved -> moved.isPresent() ? Uni.createFrom().item(moved.get())
                                : jobs.find(c, id).map(f -> {
                                    Job job = f.orElseThrow(() -> notFound(id));
                                    throw JobsError.ILLEGAL_TRANSITION.exception(
                                            "a job that is " + job.status() + " cannot be cancelled");
                                })))
                .call(job -> progress.recordSystemEvent(id, JobStatus.CANCELLED,
                        new JsonObject().put("message", "cancelled by the owner")));
    }

    private Uni<String> sign(Caller caller, String bucket, String[] p, int expiresIn) {
        return storage.sign(bucket, p[0], p[1], p[2], Headers.authorization(caller), Headers.apikey(caller), new Requests.Sign(expiresIn))
                .onFailure().transform(Upstream.failure("storage-service",
                        m -> JobsError.OBJECT_MISSING.exception("the " + bucket + " object is missing from storage")))
                .map(r -> {
                    String u = r == null ? null : r.signedUrl();
                    if (u == null || u.isBlank()) {
                        throw ApiError.BAD_GATEWAY.exception("storage-service returned no signedURL");
                    }
                    return absolute(u);
                });
    }

    /** A signed URL as storage returns it (relative to /storage/v1), made absolute on the public base. */
    private String absolute(String s) {
        return s.startsWith("http") ? s : config.storageBase() + (s.startsWith("/") ? s : "/" + s);
    }

    private static JsonObject trainingConfig(TrainingValues v, TrainingConfig cfg, CatalogModel m) {
        JsonObject o = new JsonObject()
                .put("lora_rank", v.lora_rank()).put("lora_alpha", v.lora_alpha()).put("lora_dropout", v.lora_dropout())
                .put("learning_rate", v.learning_rate()).put("num_epochs", v.num_epochs()).put("batch_size", v.batch_size())
                .put("gradient_accumulation_steps", v.gradient_accumulation_steps()).put("warmup_ratio", v.warmup_ratio())
                .put("max_seq_length", v.max_seq_length()).put("optimizer", v.optimizer()).put("scheduler", v.scheduler())
                .put("training_config_id", cfg.id()).put("training_config_name", cfg.name())
                .put("model_id", m.id()).put("hf_model_id", m.hfModelId())
                .put("unsloth_model_id", m.unslothModelId()).put("chat_template", m.chatTemplate())
                .put("load_in_4bit", m.loadIn4bit());
        return o;
    }

    static String slug(String s) {
        String out = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        if (out.length() > 60) {
            out = out.substring(0, 60);
        }
        return out.isEmpty() ? "model" : out;
    }

    /** The 422 of the body's first violated rule in {@code group} (ValidationErrors' answer, as at a resource). */
    private void check(CreateJobInput in, Class<?> group) {
        Set<ConstraintViolation<CreateJobInput>> violations = validator.validate(in, group);
        if (!violations.isEmpty()) {
            throw ValidationErrors.toApiException(violations);
        }
    }

    private static String string(String s, String fallback) {
        return s != null && !s.isBlank() ? s : fallback;
    }

    private static double number(Double d) {
        return d == null ? 0.0 : d;
    }

    private static long longOf(Object o) {
        return o instanceof Number n ? n.longValue() : 0L;
    }

    private static ApiException notFound(UUID id) {
        return ApiError.NOT_FOUND.exception("no job with id " + id);
    }
}
