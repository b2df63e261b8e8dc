package io.slmgen.jobs.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.slmgen.shared.db.RowJson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A jsonb column's text becomes the value the reactive client makes of the column (then RowJson's). */
class JsonbTextTest {

    @Test
    void objectsArraysAndScalarsDecodeAsTheClientDecodesJsonb() {
        assertEquals(new JsonObject().put("a", 1).put("b", new JsonArray().add(true)), JsonbText.decode(" {\"a\": 1, \"b\": [true]}"));
        assertEquals(new JsonArray().add(1).add(2.5).add("x"), JsonbText.decode("[1, 2.50, \"x\"]"));
        assertEquals("plain", JsonbText.decode("\"plain\""));
        assertEquals(7, JsonbText.decode("7"));
        assertEquals(Boolean.FALSE, JsonbText.decode("false"));
        assertNull(JsonbText.decode(null));
        assertNull(JsonbText.decode("null"));
        // as a Job carries it: maps and lists
        assertEquals(Map.of("a", 1), RowJson.value(JsonbText.decode("{\"a\": 1}")));
        assertEquals(List.of(1), RowJson.value(JsonbText.decode("[1]")));
    }
}
