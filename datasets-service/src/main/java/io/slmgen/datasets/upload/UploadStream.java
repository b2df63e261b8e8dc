package io.slmgen.datasets.upload;

import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.slmgen.datasets.analysis.AnalysisResult;
import io.slmgen.datasets.analysis.DatasetAnalyser;
import io.slmgen.datasets.analysis.TooManyExamplesException;
import io.slmgen.datasets.client.StorageClient;
import io.slmgen.datasets.config.DatasetsConfig;
import io.slmgen.datasets.service.DatasetCreations;
import io.slmgen.datasets.model.Upload;
import io.slmgen.datasets.service.DatasetsError;
import io.slmgen.shared.error.ApiError;
import io.slmgen.shared.error.ApiException;
import io.slmgen.shared.identity.Caller;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerFileUpload;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;

/**
 * One pass over an upload (SPEC §6): every chunk of the request body is written on to storage-service
 * as it arrives and analysed on a worker thread meanwhile ({@link AnalysisPipe}), with backpressure
 * (the client is paused while storage's write queue is full or the analysis is too far behind), so
 * memory stays flat whatever the size and receiving, forwarding and analysing overlap. Accepts
 * {@code multipart/form-data} (part {@code file}) or a raw {@code application/x-ndjson} body with
 * {@code ?filename=}.
 *
 * <p>The storage upload is chunked and only ended once the analysis accepted the file: a rejected file
 * (fewer than 50 valid examples, too large, client gone) resets the upload, so storage never commits
 * it, and a delete is sent as well in case it did. Whatever went wrong, the rest of the request body
 * is drained so the client reads our answer instead of a broken pipe. Runs on the request's event
 * loop; all callbacks (the analysis' too) come back to it, so the state below needs no locking.
 */
final class UploadStream {

    private static final Logger LOG = Logger.getLogger(UploadStream.class);
    static final String NDJSON = "application/x-ndjson";

    private final HttpServerRequest request;
    private final String queryFilename;
    private final Supplier<Uni<Caller>> callerSource;
    private Caller caller;
    private final DatasetsConfig config;
    private final StorageClient storage;
    private final DatasetCreations creations;
    private final long maxBytes;
    private final UUID jobId = UUID.randomUUID();
    private final String sessionId = UUID.randomUUID().toString();
    private final Executor analysisWorkers;
    private AnalysisPipe analysis;

    private UniEmitter<? super Upload> emitter;
    private boolean done;
    private boolean started;
    private boolean uploadEnded;
    private boolean paused;
    private boolean pausedForStorage;
    private boolean pausedForAnalysis;
    private ReadStream<Buffer> source;
    private HttpClientRequest upload;
    private String filename;
    private String objectPath;
    private long size;
    private AnalysisResult result;

    private UploadStream(HttpServerRequest request, String queryFilename, Supplier<Uni<Caller>> callerSource,
                         DatasetsConfig config, StorageClient storage, DatasetCreations creations, Executor analysisWorkers) {
        this.request = request;
        this.queryFilename = queryFilename;
        this.callerSource = callerSource;
        this.config = config;
        this.storage = storage;
        this.creations = creations;
        this.maxBytes = config.maxUploadSize().asLongValue();
        this.analysisWorkers = analysisWorkers;
    }

    /** One upload, start to end; see {@link Uploads}. */
    static Uni<Upload> receive(HttpServerRequest request, String queryFilename, Supplier<Uni<Caller>> callerSource,
                               DatasetsConfig config, StorageClient storage, DatasetCreations creations,
                               Executor analysisWorkers) {
        return Uni.createFrom().emitter(em -> new UploadStream(request, queryFilename, callerSource, config, storage,
                creations, analysisWorkers).start(em));
    }


    private void start(UniEmitter<? super Upload> em) {
        this.emitter = em;
        this.analysis = new AnalysisPipe(new DatasetAnalyser(config.maxLineBytes(), config.maxExamples()), analysisWorkers,
                Vertx.currentContext(), this::onAnalysisCapacity, this::onAnalysisFailure);
        request.exceptionHandler(this::onClientGone);
        String ct = request.getHeader("Content-Type");
        String media = ct == null ? "" : ct.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (media.equals("multipart/form-data")) {
            request.setExpectMultipart(true);
            request.uploadHandler(this::onPart);
            request.endHandler(v -> {
                if (!started) {
                    fail(ApiError.VALIDATION_FAILED.exception("the multipart body needs a file part named \"file\"")
                            .field("file"));
                }
            });
            request.resume();
        } else if (media.equals(NDJSON) || media.equals("application/jsonl")) {
            String cl = request.getHeader("Content-Length");
            if (cl != null && parseLong(cl) > maxBytes) {
                drainAndFail(request, tooLarge());
                return;
            }
            begin(queryFilename, request);
        } else {
            drainAndFail(request, ApiError.UNSUPPORTED_MEDIA_TYPE.exception(
                    "upload the file as multipart/form-data (part \"file\") or as " + NDJSON + " with ?filename="));
        }
    }

    private void onPart(HttpServerFileUpload part) {
        if (done || started || !("file".equals(part.name()) || part.name() == null || part.name().isEmpty())) {
            discard(part);
            return;
        }
        started = true;
        begin(part.filename(), part);
    }

    private void begin(String name, ReadStream<Buffer> src) {
        this.source = src;
        try {
            filename = FileNames.check(name);
        } catch (ApiException e) {
            drainAndFail(src, e);
            return;
        }
        src.pause();
        Context context = Vertx.currentContext();
        callerSource.get().subscribe().with(
                who -> runOn(context, () -> {
                    if (!done) {
                        caller = who;
                        objectPath = caller.userId() + "/" + jobId + "/" + filename;
                        mark(context, src);
                    }
                }),
                err -> runOn(context, () -> drainAndFail(src, err instanceof ApiException a ? a
                        : ApiError.SERVICE_UNAVAILABLE.exception("could not establish the uploader, retry shortly"))));
    }

    /** The object is marked as being uploaded before its first byte goes to storage (DatasetCreations). */
    private void mark(Context context, ReadStream<Buffer> src) {
        creations.begin(caller, objectPath).subscribe().with(
                ok -> runOn(context, () -> {
                    if (!done) {
                        openStorage(src);
                    }
                }),
                err -> runOn(context, () -> drainAndFail(src, err instanceof ApiException a && a.status() < 500 ? a
                        : ApiError.SERVICE_UNAVAILABLE.exception("could not start the upload, retry shortly"))));
    }

    private static void runOn(Context context, Runnable r) {
        if (context == null || Vertx.currentContext() == context) {
            r.run();
        } else {
            context.runOnContext(v -> r.run());
        }
    }

    private void openStorage(ReadStream<Buffer> src) {
        storage.openUpload(caller, objectPath, NDJSON).onComplete(ar -> {
            if (ar.failed()) {
                drainAndFail(src, (ApiException) StorageClient.unreachable(ar.cause()));
                return;
            }
            upload = ar.result();
            upload.response().onComplete(this::onStorageResponse);
            upload.exceptionHandler(t -> {
                if (!done) {
                    drainAndFail(src, (ApiException) StorageClient.unreachable(t));
                }
            });
            src.handler(this::onData);
            src.endHandler(v -> onSourceEnd());
            src.resume();
        });
    }

    private void onData(Buffer b) {
        if (done) {
            return;
        }
        int len = b.length();
        size += len;
        if (size > maxBytes) {
            drainAndFail(source, tooLarge()); // first: resetting the upload fails its response future
            abortUpload();
            return;
        }
        analysis.write(b); // copies: the buffer itself goes on to storage
        upload.write(b);
        if (upload.writeQueueFull()) {
            pausedForStorage = true;
            upload.drainHandler(v -> {
                pausedForStorage = false;
                updatePause();
            });
        }
        if (analysis.full()) {
            pausedForAnalysis = true;
        }
        updatePause();
    }

    private void onAnalysisCapacity() {
        if (pausedForAnalysis && analysis.low()) {
            pausedForAnalysis = false;
            updatePause();
        }
    }

    /** The body flows only while neither storage nor the analysis is behind. */
    private void updatePause() {
        if (done || source == null) {
            return;
        }
        boolean pause = pausedForStorage || pausedForAnalysis;
        if (pause && !paused) {
            paused = true;
            source.pause();
        } else if (!pause && paused) {
            paused = false;
            source.resume();
        }
    }

    private void onSourceEnd() {
        if (done) {
            return;
        }
        analysis.end(this::onAnalysed);
    }

    private void onAnalysed(AnalysisResult r) {
        if (done) {
            return;
        }
        result = r;
        if (!r.valid()) {
            fail(DatasetsError.NOT_ENOUGH_EXAMPLES.exception(r.message())
                    .extra("invalid_lines", r.invalidLines())
                    .extra("invalid_samples", r.invalidSamples()));
            abortUpload();
            storage.deleteQuietly(caller, objectPath);
            return;
        }
        uploadEnded = true;
        upload.end();
    }

    private void onAnalysisFailure(Throwable t) {
        if (done) {
            return;
        }
        if (t instanceof TooManyExamplesException tooMany) {
            // the analyser stopped at the cap (its memory bounded): refuse now, not at the end of the body
            drainAndFail(source, tooManyExamples(tooMany.limit()));
            abortUpload();
            storage.deleteQuietly(caller, objectPath);
            return;
        }
        LOG.errorf(t, "the analysis of %s failed", objectPath);
        drainAndFail(source, DatasetsError.INTERNAL_ERROR.exception());
        abortUpload();
    }

    private void onStorageResponse(AsyncResult<HttpClientResponse> ar) {
        if (done) {
            return;
        }
        if (ar.failed()) {
            drainAndFail(source, (ApiException) StorageClient.unreachable(ar.cause()));
            return;
        }
        HttpClientResponse resp = ar.result();
        resp.body().onComplete(body -> {
            if (done) {
                return;
            }
            int s = resp.statusCode();
            if (s >= 200 && s < 300 && uploadEnded) {
                done = true;
                emitter.complete(new Upload(filename, objectPath, size, result, jobId, sessionId));
            } else if (s >= 200 && s < 300) {
                storage.deleteQuietly(caller, objectPath);
                drainAndFail(source, DatasetsError.STORAGE_ERROR.exception());
            } else {
                drainAndFail(source, StorageClient.storageError(s, body.succeeded() ? body.result() : null));
            }
        });
    }

    private void onClientGone(Throwable t) {
        if (!done) {
            LOG.debugf("upload interrupted by the client: %s", t.getMessage());
            fail(DatasetsError.UPLOAD_INTERRUPTED.exception());
            abortUpload();
        }
    }

    private void abortUpload() {
        if (upload != null) {
            upload.reset();
        }
    }

    /** More valid examples than datasets.max-examples (SPEC §6: the cap per upload). */
    static ApiException tooManyExamples(long limit) {
        return DatasetsError.TOO_MANY_EXAMPLES.exception("the file has more than " + limit
                + " valid examples, the most one upload may hold").extra("max_examples", limit);
    }

    private ApiException tooLarge() {
        return ApiError.PAYLOAD_TOO_LARGE.exception("the file is larger than the limit of " + maxBytes + " bytes")
                .storage(413, "Payload too large");
    }

    private void drainAndFail(ReadStream<Buffer> src, ApiException e) {
        fail(e);
        if (src != null) {
            discard(src);
        }
        if (src != request && !request.isEnded()) {
            request.resume();
        }
    }

    private static void discard(ReadStream<Buffer> src) {
        try {
            src.handler(b -> {
            });
            src.endHandler(v -> {
            });
            src.resume();
        } catch (IllegalStateException alreadyRead) {
            // the body was read to its end already (e.g. storage refused after the upload ended): nothing to drain
        }
    }

    private void fail(ApiException e) {
        if (!done) {
            done = true;
            if (analysis != null) {
                analysis.cancel();
            }
            emitter.fail(e);
        }
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
