package io.slmgen.jobs.rest;


import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
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
import io.slmgen.jobs.service.ProgressService;
import io.slmgen.shared.api.Ids;
import io.slmgen.shared.identity.CurrentCaller;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.Json;

/**
 * {@code GET /api/jobs/{id}/events}: the owner's server-sent event stream. The job is read as the
 * caller first, so someone else's job is a plain 404 JSON answer before any stream starts. Each SSE
 * event has {@code id} = seq (for Last-Event-ID), {@code event} = type, {@code data} = the event as
 * JSON. Events are sent one at a time ({@link SseWriter}), so a slow reader holds at most the bounded
 * buffer of {@link io.slmgen.jobs.service.JobEventBus}; events stored by any replica arrive.
 */
@Path("/api/jobs/{id}/events")
public class JobEventStreamResource {

    @Inject
    ProgressService progress;
    @Inject
    CurrentCaller caller;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Uni<Void> stream(@PathParam("id") String id, @HeaderParam("Last-Event-ID") String lastEventId,
                            @QueryParam("last_event_id") String lastEventQuery,
                            @Context SseEventSink sink, @Context Sse sse) {
        long after = parseLast(lastEventId != null ? lastEventId : lastEventQuery);
        return progress.stream(caller.get(), Ids.uuid(id, "id"), after)
                .invoke(events -> pump(events, sink, sse))
                .replaceWithVoid();
    }

    private static long parseLast(String v) {
        if (v == null || v.isBlank()) {
            return 0;
        }
        try {
            long n = Long.parseLong(v.strip());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw JobsError.INVALID_LAST_EVENT_ID.exception()
                    .field("Last-Event-ID");
        }
    }

    /** Each event as SSE: id = seq (for Last-Event-ID), event = type, data = the event as JSON; final types end it. */
    private static void pump(Multi<JobEvent.Public> events, SseEventSink sink, Sse sse) {
        SseWriter.write(events.map(e -> {
            String type = String.valueOf(e.type());
            return new SseWriter.Event(String.valueOf(e.seq()), type, Json.encode(e), true, isFinal(type));
        }), sink, sse);
    }

    private static boolean isFinal(String type) {
        return "completed".equals(type) || "failed".equals(type) || "cancelled".equals(type);
    }
}
