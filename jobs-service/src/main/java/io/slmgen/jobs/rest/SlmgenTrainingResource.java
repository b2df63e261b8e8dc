package io.slmgen.jobs.rest;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
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

import io.slmgen.jobs.model.JobEvent;
import io.slmgen.jobs.service.JobsError;
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

    @Inject
    SlmgenTraining training;
    @Inject
    CurrentCaller caller;

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
                    Multi<SseWriter.Event> first = ((Number) status.get("event_count")).intValue() == 0 ? Multi.createFrom().empty()
                            : Multi.createFrom().item(statusEvent(status, false));
                    if (s.finished()) {
                        SseWriter.write(Multi.createBy().concatenating().streams(first,
                                Multi.createFrom().item(statusEvent(status, true))), sink, sse);
                        return Uni.createFrom().voidItem();
                    }
                    return training.follow(c, s.jobId(), s.lastSeq())
                            .invoke(events -> SseWriter.write(Multi.createBy().concatenating()
                                    .streams(first, statuses(c, sid, events)), sink, sse))
                            .replaceWithVoid();
                }));
    }

    /**
     * The session's status after each progress or final event (whichever replica stored it); a final
     * one is the last, as {@code event: complete}. The session disappearing ends the stream with
     * {@code event: error}.
     */
    private Multi<SseWriter.Event> statuses(Caller c, String sid, Multi<JobEvent.Public> events) {
        return events
                .select().where(e -> "progress".equals(e.type()) || isFinal(String.valueOf(e.type())))
                .onItem().transformToUniAndConcatenate(e -> {
                    boolean last = isFinal(String.valueOf(e.type()));
                    return training.snapshot(c, sid).map(s -> statusEvent(SlmgenTraining.status(s), last));
                })
                .onFailure(t -> t instanceof ApiException a && a.status() == 404)
                .recoverWithItem(new SseWriter.Event(null, "error", "Session expired", false, true));
    }

    private static SseWriter.Event statusEvent(Map<String, Object> status, boolean complete) {
        return new SseWriter.Event(null, complete ? "complete" : null, Json.encode(status), false, complete);
    }

    private static boolean isFinal(String type) {
        return "completed".equals(type) || "failed".equals(type) || "cancelled".equals(type);
    }

    private static void requireSecret(String secret) {
        if (secret == null || secret.isBlank()) {
            throw JobsError.MISSING_JOB_SECRET.exception();
        }
    }
}
