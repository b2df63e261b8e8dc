package io.slmgen.shared.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ApiErrorTest {

    @Test
    void theSharedCatalogueKeepsTheRules() {
        assertEquals(List.of(), ErrorCatalogues.problems(ApiError.values()));
    }

    @Test
    void theRulesCatchADuplicateAnswerAndABadStatus() {
        ErrorCode twin = new TestEntry(404, "not_found");
        ErrorCode success = new TestEntry(200, "ok");
        ErrorCode camel = new TestEntry(400, "badRequest");
        List<String> problems = ErrorCatalogues.problems(ApiError.NOT_FOUND, twin, success, camel);
        assertEquals(3, problems.size(), problems.toString());
        assertFalse(ErrorCatalogues.problems(ApiError.VALIDATION_FAILED, ApiError.VALIDATION_FAILED_BAD_REQUEST)
                .iterator().hasNext(), "one code answered with two statuses is two answers");
    }

    @Test
    void anEntryAnswersItsStatusCodeAndDefaultMessageOnTheWire() {
        ApiException e = ApiError.NOT_FOUND.exception("no dataset 7");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("error", "not_found");
        expected.put("message", "no dataset 7");
        expected.put("status", 404);
        assertEquals(expected, ErrorShape.API.body(e, false));
        assertEquals(Map.of("detail", "unexpected failure"), ErrorShape.FASTAPI.body(ApiError.UNEXPECTED_FAILURE.exception(), false));
    }

    @Test
    void unavailableAndRetryTellTheClientWhenToComeBack() {
        assertEquals(Map.of("Retry-After", "2"), ApiError.SERVICE_UNAVAILABLE.exception("starting").headers());
        assertEquals(Map.of("Retry-After", "1"), ApiError.RETRY.exception().headers());
        assertEquals(Map.of(), ApiError.NOT_FOUND.exception().headers());
    }

    @Test
    void aSharedErrorOnAStoragePathHasNoStorageCode() {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("statusCode", "404");
        expected.put("error", "not_found");
        expected.put("message", "no such route or resource");
        Map<String, Object> body = ErrorShape.STORAGE.body(ApiError.NOT_FOUND.exception("no such route or resource"), false);
        assertEquals(expected, body);
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(body.keySet()));
        assertNull(body.get("code"));
    }

    @Test
    void aRelayedStatusKeepsTheEntrysCode() {
        ApiException e = new ApiException(ApiError.UNEXPECTED_FAILURE, 503, "unexpected failure");
        assertEquals(503, e.status());
        assertEquals("unexpected_failure", e.code());
        assertEquals("503", ErrorShape.STORAGE.body(e, false).get("statusCode"));
    }

    private record TestEntry(int status, String code) implements ErrorCode {
        @Override
        public Entry entry() {
            return Entry.of(status, code, "test");
        }
    }
}
