package io.slmgen.jobs.rest;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Flow;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

import org.jboss.logging.Logger;

import io.slmgen.jobs.slmgen.SlmgenTraining;
import io.slmgen.shared.error.ApiException;
import io.slmgen.shared.identity.Caller;
import io.slmgen.shared.identity.CurrentCaller;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;

/**
 * SLMGEN v1's {@code /training/*} (SPEC §15). The notebook's calls carry {@code X-Job-Secret}; the
 * reads follow the session rule (owner's token, or none for an anonymous session).
 */
@Path("/slmgen/training")
@Produces(MediaType.APPLICATION_JSON)
public class SlmgenTrainingResource {

    private static final Logger LOG = Logger.getLogger(SlmgenTrainingResource.class);

    private final SlmgenTraining training;
    private final CurrentCaller caller;

    public SlmgenTrainingResource(SlmgenTraining training, CurrentCaller caller) {
        this.training = training;
        this.caller = caller;
    }

    @GET
    @Path("/")
    public Uni<List<Map<String, Object>>> list() {
        return training.list(caller.get());
    }

    @POST
    @Path("start")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Map<String, Object>> start(@HeaderParam("X-Job-Secret") String secret, Map<String, Object> body) {
        requireSecret(secret);
        return training.start(secret, body);
    }

    @POST
    @Path("webhook")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Map<String, Object>> webhook(@HeaderParam("X-Job-Secret") String secret, Map<String, Object> body) {
        requireSecret(secret);
        return training.webhook(secret, body);
    }

    @POST
    @Path("complete")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Map<String, Object>> complete(@HeaderParam("X-Job-Secret") String secret, Map<String, Object> body) {
        requireSecret(secret);
        return training.complete(secret, body);
    }

    @GET
    @Path("{sid}/status")
    public Uni<Map<String, Object>> status(@PathParam("sid") String sid) {
        return training.status(caller.get(), sid);
    }

    @GET
    @Path("{sid}/events")
    public Uni<List<Map<String, Object>>> events(@PathParam("sid") String sid, @QueryParam("since_step") Integer sinceStep) {
        return training.events(caller.get(), sid, sinceStep);
    }

    @GET
    @Path("{sid}/latest")
    public Uni<Map<String, Object>> latest(@PathParam("sid") String sid) {
        return training.latest(caller.get(), sid);
    }

    /**
     * Unnamed {@code data:} events carrying the status whenever progress arrives, {@code event: complete}
     * at a final status (then the stream ends), {@code event: error} when the session disappears. The
     * session is resolved before the stream starts, so an unknown one is a plain 404 JSON answer.
     */
    @GET
    @Path("{sid}/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Uni<Void> stream(@PathParam("sid") String sid, @Context SseEventSink sink, @Context Sse sse,
                            @Context HttpServerResponse response) {
        return training.callerFor(caller.get(), sid)
                .invoke(c -> {
                    // proxies must not buffer or cache the stream (SLMGEN sent these too)
                    response.putHeader("Cache-Control", "no-cache");
                    response.putHeader("X-Accel-Buffering", "no");
                })
                .flatMap(c -> training.snapshot(c, sid).flatMap(s -> {
                    Map<String, Object> status = SlmgenTraining.status(s);
                    if (s.finished()) {
                        Uni<Void> first = s.events().isEmpty() || ((Number) status.get("event_count")).intValue() == 0
                                ? Uni.createFrom().voidItem() : send(sink, sse, null, status);
                        return first.chain(() -> send(sink, sse, "complete", status)).invoke(() -> close(sink));
                    }
                    Uni<Void> first = ((Number) status.get("event_count")).intValue() == 0 ? Uni.createFrom().voidItem()
                            : send(sink, sse, null, status);
                    return first.chain(() -> training.follow(c, s.jobId(), s.lastSeq()))
                            .invoke(events -> pump(c, sid, events, sink, sse)).replaceWithVoid();
                }));
    }

    private void pump(Caller c, String sid, Multi<Map<String, Object>> events, SseEventSink sink, Sse sse) {
        events.subscribe().withSubscriber(new Flow.Subscriber<Map<String, Object>>() {
            private Flow.Subscription subscription;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                s.request(1);
            }

            @Override
            public void onNext(Map<String, Object> e) {
                String type = String.valueOf(e.get("type"));
                boolean last = "completed".equals(type) || "failed".equals(type) || "cancelled".equals(type);
                if (!last && !"progress".equals(type)) {
                    subscription.request(1);
                    return;
                }
                training.snapshot(c, sid).map(SlmgenTraining::status)
                        .flatMap(status -> send(sink, sse, last ? "complete" : null, status))
                        .subscribe().with(v -> {
                            if (last) {
                                subscription.cancel();
                                close(sink);
                            } else {
                                subscription.request(1);
                            }
                        }, t -> {
                            subscription.cancel();
                            if (t instanceof ApiException a && a.status() == 404) {
                                sink.send(sse.newEventBuilder().name("error").data(String.class, "Session expired").build())
                                        .whenComplete((v, x) -> close(sink));
                            } else {
                                close(sink);
                            }
                        });
            }

            @Override
            public void onError(Throwable t) {
                LOG.debugf("training stream ended: %s", t.getMessage());
                close(sink);
            }

            @Override
            public void onComplete() {
                close(sink);
            }
        });
    }

    private static Uni<Void> send(SseEventSink sink, Sse sse, String name, Map<String, Object> status) {
        var b = sse.newEventBuilder().data(String.class, Json.encode(status));
        if (name != null) {
            b.name(name);
        }
        return Uni.createFrom().completionStage(sink.send(b.build())).replaceWithVoid();
    }

    private static void close(SseEventSink sink) {
        try {
            sink.close();
        } catch (RuntimeException ignored) {
            // already closed by the client
        }
    }

    private static void requireSecret(String secret) {
        if (secret == null || secret.isBlank()) {
            throw new ApiException(401, "missing_job_secret", "X-Job-Secret header required");
        }
    }
}
