package io.slmgen.shared.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A jsonb column's text becomes what the reactive client makes of the column, then what RowJson hands on. */
class RowJsonTest {

    @Test
    void jsonbTextDecodesObjectsArraysAndScalarsAsTheClientDecodesJsonb() {
        assertEquals(Map.of("a", 1, "b", List.of(true)), RowJson.jsonbText(" {\"a\": 1, \"b\": [true]}"));
        assertEquals(List.of(1, 2.5, "x"), RowJson.jsonbText("[1, 2.50, \"x\"]"));
        assertEquals("plain", RowJson.jsonbText("\"plain\""));
        assertEquals(7, RowJson.jsonbText("7"));
        assertEquals(Boolean.FALSE, RowJson.jsonbText("false"));
        assertNull(RowJson.jsonbText(null));
        assertNull(RowJson.jsonbText("null"));
    }

    @Test
    void jsonbTextIsWhatTheReactiveClientsValueBecomes() {
        JsonObject object = new JsonObject().put("a", 1).put("nested", new JsonObject().put("b", "c"));
        assertEquals(RowJson.value(new JsonObject(object.encode())), RowJson.jsonbText(object.encode()));
        JsonArray array = new JsonArray().add(1).add(new BigDecimal("2.5")).add("x");
        assertEquals(RowJson.value(new JsonArray(array.encode())), RowJson.jsonbText(array.encode()));
    }
}
