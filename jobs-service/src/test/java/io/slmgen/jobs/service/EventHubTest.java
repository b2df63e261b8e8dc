package io.slmgen.jobs.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.slmgen.jobs.config.JobsConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;

class EventHubTest {

    static JobsConfig buffer(int n) {
        return new JobsConfig() {
            public Optional<String> publicUrl() { return Optional.empty(); }
            public Optional<String> storagePublicUrl() { return Optional.empty(); }
            public String storageServiceUrl() { return "http://127.0.0.1:8085"; }
            public int notebookUrlExpirySeconds() { return 3600; }
            public int datasetUrlExpirySeconds() { return 3600; }
            public long embedDatasetMaxBytes() { return 0; }
            public String secretKey() { return "k"; }
            public int subscriberBuffer() { return n; }
            public int maxEventBytes() { return 1000; }
            public java.time.Duration creationSweepInterval() { return java.time.Duration.ofMinutes(1); }
            public java.time.Duration creationTimeout() { return java.time.Duration.ofMinutes(2); }
        };
    }

    static Map<String, Object> event(int seq) {
        return Map.of("seq", seq, "type", "progress");
    }

    @Test
    void storedEventsComeFirstThenLiveOnesWithoutDuplicates() {
        EventHub hub = new EventHub(buffer(8));
        UUID job = UUID.randomUUID();
        AtomicReference<Long> askedAfter = new AtomicReference<>();
        AssertSubscriber<Map<String, Object>> sub = hub.live(job, 2, after -> {
            askedAfter.set(after);
            // an event published while the catch-up query runs is also in its result: delivered once
            hub.publish(job, event(4));
            return Uni.createFrom().item(List.of(event(3), event(4)));
        }).subscribe().withSubscriber(AssertSubscriber.create(100));
        hub.publish(job, event(4));
        hub.publish(job, event(5));
        assertEquals(2L, askedAfter.get());
        List<Object> seqs = new ArrayList<>();
        sub.getItems().forEach(e -> seqs.add(e.get("seq")));
        assertEquals(List.of(3, 4, 5), seqs);
        assertEquals(1, hub.subscriberCount(job));
        sub.cancel();
        assertEquals(0, hub.subscriberCount(job));
    }

    @Test
    void aSubscriberThatDoesNotReadIsCutOffAtItsBufferAndForgotten() {
        EventHub hub = new EventHub(buffer(8));
        UUID job = UUID.randomUUID();
        AssertSubscriber<Map<String, Object>> stalled = hub.live(job, 0, after -> Uni.createFrom().item(List.of()))
                .subscribe().withSubscriber(AssertSubscriber.create(0));
        AssertSubscriber<Map<String, Object>> reader = hub.live(job, 0, after -> Uni.createFrom().item(List.of()))
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        for (int i = 1; i <= 1000; i++) {
            hub.publish(job, event(i));
        }
        assertInstanceOf(RuntimeException.class, stalled.getFailure());
        assertEquals(0, stalled.getItems().size());
        assertEquals(1000, reader.getItems().size());
        assertEquals(1, hub.subscriberCount(job), "only the reader is still registered");
    }
}
