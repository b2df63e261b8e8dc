package io.slmgen.storage.objects;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.slmgen.shared.error.ApiException;
import io.slmgen.shared.error.ErrorCatalogues;
import io.slmgen.shared.error.ErrorResponses;
import io.slmgen.shared.error.ErrorShape;

class StorageErrorTest {

    @Test
    void theCatalogueKeepsTheRules() {
        assertEquals(List.of(), ErrorCatalogues.problems(StorageError.values()));
    }

    @Test
    void aMissingObjectIsStorageApisBodyWithItsCodeForStorageJs() {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("statusCode", "404");
        expected.put("code", "NoSuchKey");
        expected.put("error", "not_found");
        expected.put("message", "Object not found");
        ApiException e = StorageError.NO_SUCH_KEY.exception();
        assertEquals(400, e.status());
        Map<String, Object> body = ErrorShape.STORAGE.body(e, false);
        assertEquals(expected, body);
        // storage-api's field order, as clients print it
        assertEquals(List.of("statusCode", "code", "error", "message"), List.copyOf(body.keySet()));
    }

    @Test
    void aStorageErrorLeavesByTheSharedRendererWithItsStatusAndHeaders() {
        var response = ErrorResponses.of("/storage/v1/object/b/x", false,
                StorageError.INVALID_RANGE.exception().header("Content-Range", "bytes */10"));
        assertEquals(416, response.getStatus());
        assertEquals("bytes */10", response.getHeaderString("Content-Range"));
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("statusCode", "416");
        expected.put("code", "InvalidRange");
        expected.put("error", "InvalidRange");
        expected.put("message", "Range Not Satisfiable");
        assertEquals(expected, response.getEntity());
    }

    @Test
    void aDuplicateFromTheDatabaseBecomesStorageApisDuplicate() {
        ApiException db = io.slmgen.shared.db.DbErrors.fromSqlState("23505", "duplicate key", null, null, "authenticated");
        ApiException e = (ApiException) StorageError.fromDb(db);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("statusCode", "409");
        expected.put("code", "ResourceAlreadyExists");
        expected.put("error", "Duplicate");
        expected.put("message", "The resource already exists");
        assertEquals(expected, ErrorShape.STORAGE.body(e, false));
    }
}
