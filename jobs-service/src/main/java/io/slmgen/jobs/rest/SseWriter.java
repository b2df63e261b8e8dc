package io.slmgen.jobs.rest;

import java.util.concurrent.Flow;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Multi;

/**
 * The one writer of both event streams ({@code /api/jobs/{id}/events} and
 * {@code /slmgen/training/{sid}/stream}): events are written one at a time - the next is asked for only
 * once the previous is on the wire - so a slow reader holds at most what its source buffers; the
 * stream closes after an event marked last, when the source ends or fails, or when a write fails
 * (the client left).
 */
final class SseWriter {

    private static final Logger LOG = Logger.getLogger(SseWriter.class);

    /** One server-sent event: optional id and name, the data, whether it is JSON, whether it ends the stream. */
    record Event(String id, String name, String data, boolean json, boolean last) {
    }

    private SseWriter() {
    }

    static void write(Multi<Event> events, SseEventSink sink, Sse sse) {
        events.subscribe().withSubscriber(new Flow.Subscriber<Event>() {
            private Flow.Subscription subscription;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                s.request(1);
            }

            @Override
            public void onNext(Event e) {
                if (sink.isClosed()) {
                    subscription.cancel();
                    return;
                }
                OutboundSseEvent.Builder b = sse.newEventBuilder();
                if (e.id() != null) {
                    b.id(e.id());
                }
                if (e.name() != null) {
                    b.name(e.name());
                }
                if (e.json()) {
                    b.mediaType(MediaType.APPLICATION_JSON_TYPE);
                }
                sink.send(b.data(String.class, e.data()).build()).whenComplete((v, t) -> {
                    if (t != null || e.last()) {
                        subscription.cancel();
                        close(sink);
                    } else {
                        subscription.request(1);
                    }
                });
            }

            @Override
            public void onError(Throwable t) {
                LOG.debugf("event stream ended: %s", t.getMessage());
                close(sink);
            }

            @Override
            public void onComplete() {
                close(sink);
            }
        });
    }

    static void close(SseEventSink sink) {
        try {
            sink.close();
        } catch (RuntimeException ignored) {
            // already closed by the client
        }
    }
}
