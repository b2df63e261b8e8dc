package io.slmgen.jobs.model;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A jsonb column's text decoded exactly as the reactive PostgreSQL client decodes jsonb (vertx-pg-client
 * 4.5 DataTypeCodec.textDecodeJSONB: an object, an array, else any JSON value), so an entity's column
 * and a hand-written statement's column become the same Java value, and the same JSON in an answer.
 */
public final class JsonbText {

    private JsonbText() {
    }

    public static Object decode(String text) {
        if (text == null) {
            return null;
        }
        int i = 0;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        if (i < text.length() && text.charAt(i) == '{') {
            return new JsonObject(text);
        }
        if (i < text.length() && text.charAt(i) == '[') {
            return new JsonArray(text);
        }
        return Json.decodeValue(text);
    }
}
