package io.slmgen.jobs.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.slmgen.shared.error.ErrorCatalogues;
import io.slmgen.shared.error.ErrorShape;

class JobsErrorTest {

    @Test
    void theCatalogueKeepsTheRules() {
        assertEquals(List.of(), ErrorCatalogues.problems(JobsError.values()));
    }

    @Test
    void anUpstreamRefusalKeepsTheStatusItCameWith() {
        var e = new io.slmgen.shared.error.ApiException(JobsError.UPSTREAM_REJECTED, 409, "storage-service rejected the request (409)");
        Map<String, Object> body = ErrorShape.API.body(e, false);
        assertEquals("upstream_rejected", body.get("error"));
        assertEquals(409, body.get("status"));
    }
}
