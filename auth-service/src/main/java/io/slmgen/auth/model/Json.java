package io.slmgen.auth.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Plain maps and lists out of Vert.x JSON (for Jackson and jose4j). */
public final class Json {

    private Json() {
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(JsonObject o) {
        return o == null ? new LinkedHashMap<>() : (Map<String, Object>) plain(o);
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(JsonArray a) {
        return a == null ? new ArrayList<>() : (List<Object>) plain(a);
    }

    public static Object plain(Object v) {
        if (v instanceof JsonObject o) {
            return plain(o.getMap());
        }
        if (v instanceof JsonArray a) {
            return plain(a.getList());
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), plain(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(plain(x)));
            return out;
        }
        return v;
    }
}
