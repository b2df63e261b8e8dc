package io.slmgen.storage.service;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.netty.buffer.ByteBuf;
import io.slmgen.storage.blob.BlobStore.Sink;
import io.slmgen.storage.blob.BlobStore.Staged;
import io.slmgen.storage.model.UploadedObject;
import io.slmgen.storage.objects.StorageError;
import io.slmgen.storage.service.ObjectUploads.RawUpload;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Raw-body uploads streamed natively (SPEC §9, §13): the request's buffers are taken from the event
 * loop as they arrive (no blocking InputStream per chunk) and handed, {@value #WRITE_BATCH} bytes at a
 * time (one hand-off per batch, not per network read), to ordered worker tasks that write them to the
 * BlobStore's staging sink, whose completed 8 MiB parts are hashed in parallel for the
 * ETag (see {@link io.slmgen.storage.blob.Etags}). Backpressure: the request is paused while more than
 * {@value #WRITE_QUEUE} bytes wait to be written (a sink blocks its writer while parts wait for their
 * hash or upload, which fills that queue). Size is
 * counted on the event loop and the limit enforced while streaming (413 after the rest of the body is
 * drained). Before a byte is read, a worker checks the upload (bucket, limit, MIME); once the body
 * ended the sink is finished (fsync, ETag) and a worker inserts the row as the caller, commits and publishes
 * ({@link ObjectUploads#commitRaw}) - the crash-safety order of every other upload.
 */
@ApplicationScoped
public class RawBodyUploads {

    private static final Logger LOG = Logger.getLogger(RawBodyUploads.class);
    /** Bytes queued towards the file before the request is paused. */
    private static final int WRITE_QUEUE = 4 * 1024 * 1024;
    /** Bytes gathered on the event loop before one worker task writes them (well below WRITE_QUEUE / 2). */
    private static final int WRITE_BATCH = 1024 * 1024;

    @Inject
    ObjectUploads uploads;
    @Inject
    Vertx vertx;

    /**
     * Streams the body of {@code req} (called on its event loop, before anything read the body).
     * {@code prepare} runs on a worker thread before a byte is read; its failures are answered after
     * the body was drained.
     */
    public Uni<UploadedObject> upload(HttpServerRequest req, Supplier<RawUpload> prepare) {
        Context ctx = Vertx.currentContext();
        Transfer t = new Transfer(req, ctx);
        return Uni.createFrom().item(prepare)
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .emitOn(cmd -> ctx.runOnContext(v -> cmd.run()))
                .onFailure().call(e -> Uni.createFrom().completionStage(t.drain()))
                .chain(u -> Uni.createFrom().completionStage(t.stream(u)).map(done -> u))
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(u -> uploads.commitRaw(u, t.staged));
    }

    /**
     * One request body on its way to one staged blob. State lives on the request's event loop; the
     * bytes are written by ordered blocking tasks of the request's context (one at a time, in arrival
     * order, on a worker thread), so receiving, writing and hashing run in parallel.
     */
    private final class Transfer {
        private final HttpServerRequest req;
        private final Context ctx;
        private RawUpload upload;
        private Sink channel;
        private CompletableFuture<Void> done;
        private Throwable failure;
        private Throwable broken;
        private boolean writing;
        private boolean ended;
        private boolean paused;
        private long queued;
        /** Received buffers not handed to a worker yet (at most about {@value #WRITE_BATCH} bytes). */
        private List<Buffer> batch = new ArrayList<>();
        private int batchBytes;
        long size;
        Staged staged;

        Transfer(HttpServerRequest req, Context ctx) {
            this.req = req;
            this.ctx = ctx;
            req.pause();
            req.handler(this::onData);
            req.endHandler(v -> onEnd());
            req.exceptionHandler(this::onBroken);
        }

        /** Reads and discards the whole body (so the client reads our answer), then completes. */
        CompletableFuture<Void> drain() {
            CompletableFuture<Void> f = new CompletableFuture<>();
            ctx.runOnContext(v -> {
                done = f;
                writing = false;
                if (ended || broken != null) {
                    f.complete(null);
                } else {
                    req.resume();
                }
            });
            return f;
        }

        /** Opens the staged file and lets the body flow into it; completes when the file holds all of it. */
        CompletableFuture<Void> stream(RawUpload u) {
            upload = u;
            done = new CompletableFuture<>();
            if (broken != null) {
                done.completeExceptionally(interrupted(broken));
                return done;
            }
            ctx.<Sink>executeBlocking(() -> uploads.openSink(u), true).onComplete(ar -> {
                        if (ar.failed()) {
                            LOG.warnf("cannot create staged file for %s/%s: %s", u.bucket(), u.version(), ar.cause().getMessage());
                            failure = StorageError.INVALID_REQUEST.exception("cannot stage the upload");
                            drain().whenComplete((x, e) -> done.completeExceptionally(failure));
                            return;
                        }
                        channel = ar.result();
                        if (broken != null) {
                            abortFile();
                            done.completeExceptionally(interrupted(broken));
                            return;
                        }
                        writing = true;
                        req.resume();
                    });
            return done;
        }

        private void onData(Buffer buf) {
            if (!writing) {
                return; // draining
            }
            int n = buf.length();
            size += n;
            if (size > upload.limit()) {
                failure = upload.overLimit(); // the bucket's limit, or the owner's quota
                abortFile();
                return; // keep reading (and discarding) to the end, then answer 413
            }
            queued += n;
            if (queued > WRITE_QUEUE && !paused) {
                paused = true;
                req.pause();
            }
            batch.add(buf);
            batchBytes += n;
            if (batchBytes >= WRITE_BATCH) {
                handOver();
            }
        }

        /** Queues the gathered buffers as one ordered write task. */
        private void handOver() {
            if (batch.isEmpty()) {
                return;
            }
            List<Buffer> bufs = batch;
            int n = batchBytes;
            batch = new ArrayList<>();
            batchBytes = 0;
            Sink ch = channel;
            ctx.executeBlocking(() -> {
                for (Buffer buf : bufs) {
                    ByteBuf bb = buf.getByteBuf();
                    for (ByteBuffer b : bb.nioBuffers()) {
                        ch.write(b);
                    }
                }
                return null;
            }, true).onComplete(ar -> {
                queued -= n;
                if (ar.failed() && writing) {
                    onFileError(ar.cause());
                } else if (paused && queued <= WRITE_QUEUE / 2) {
                    paused = false;
                    req.resume();
                }
            });
        }

        private void onEnd() {
            ended = true;
            if (done == null) {
                return; // still preparing: drain() or stream() completes
            }
            if (!writing) {
                if (failure != null) {
                    done.completeExceptionally(failure);
                } else {
                    done.complete(null);
                }
                return;
            }
            handOver();
            writing = false;
            Sink ch = channel;
            channel = null;
            ctx.<Staged>executeBlocking(ch::finish, true) // after every queued write (ordered): fsync, ETag
                    .onComplete(ar -> {
                if (ar.succeeded() && failure == null) {
                    staged = ar.result();
                    done.complete(null);
                } else {
                    if (ar.succeeded()) {
                        discard();
                    }
                    done.completeExceptionally(failure != null ? failure
                            : StorageError.INVALID_REQUEST.exception("upload interrupted: " + ar.cause().getMessage()));
                }
            });
        }

        private void onBroken(Throwable e) {
            broken = e;
            if (upload != null) {
                abortFile();
            }
            if (done != null && !done.isDone()) {
                done.completeExceptionally(interrupted(e));
            }
        }

        private void onFileError(Throwable e) {
            if (failure == null) {
                failure = StorageError.INVALID_REQUEST.exception("upload interrupted: " + e.getMessage());
            }
            abortFile(); // the rest is drained; onEnd answers with the failure
        }

        /** Stops writing, closes and deletes the staged file (the rest of the body is discarded). */
        private void abortFile() {
            writing = false;
            batch = new ArrayList<>();
            batchBytes = 0;
            Sink ch = channel;
            channel = null;
            if (ch != null) {
                ctx.executeBlocking(() -> {
                    ch.abort();
                    return null;
                }, true).onComplete(ar -> discard());
            } else if (upload != null) {
                discard();
            }
            if (paused) {
                paused = false;
            }
            req.resume();
        }

        private void discard() {
            ctx.executeBlocking(() -> {
                uploads.discardRaw(upload);
                return null;
            }, true);
        }

        private static RuntimeException interrupted(Throwable e) {
            return StorageError.INVALID_REQUEST.exception("upload interrupted: " + e.getMessage());
        }
    }

}
