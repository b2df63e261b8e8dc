package io.slmgen.shared.db;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;

/**
 * A row as JSON the way PostgREST renders it: keys are the column names, uuids and timestamps are
 * strings ({@code 2024-01-01T12:00:00.123456+00:00}), arrays are lists, json/jsonb are objects.
 */
public final class RowJson {

    private static final DateTimeFormatter TIMESTAMPTZ = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx");
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

    private RowJson() {
    }

    public static Map<String, Object> toMap(Row row) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < row.size(); i++) {
            out.put(row.getColumnName(i), value(row.getValue(i)));
        }
        return out;
    }

    public static List<Map<String, Object>> toList(RowSet<Row> rows) {
        List<Map<String, Object>> out = new ArrayList<>(rows.rowCount());
        for (Row r : rows) {
            out.add(toMap(r));
        }
        return out;
    }

    /**
     * A jsonb column an entity reads as its text ({@code @ColumnTransformer(read = "col::text")}: Hibernate
     * Reactive's JSON type takes only objects, and a client may store any JSON value through /rest/v1),
     * decoded as the reactive PostgreSQL client decodes jsonb (vertx-pg-client's textDecodeJSONB: an object,
     * an array, else any JSON value) and then handed on as {@link #value} does. So a row reads the same
     * through an entity and through hand-written SQL, and answers the same JSON.
     */
    public static Object jsonbText(String text) {
        if (text == null) {
            return null;
        }
        String json = text.strip();
        if (json.startsWith("{")) {
            return value(new JsonObject(json));
        }
        if (json.startsWith("[")) {
            return value(new JsonArray(json));
        }
        return value(Json.decodeValue(json));
    }

    public static Object value(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof UUID u) {
            return u.toString();
        }
        if (v instanceof OffsetDateTime t) {
            return timestamptz(t);
        }
        if (v instanceof LocalDateTime t) {
            return t.format(TIMESTAMP);
        }
        if (v instanceof JsonObject o) {
            return o.getMap();
        }
        if (v instanceof JsonArray a) {
            return a.getList();
        }
        if (v instanceof Object[] arr) {
            List<Object> list = new ArrayList<>(arr.length);
            for (Object o : arr) {
                list.add(value(o));
            }
            return list;
        }
        if (v instanceof io.vertx.sqlclient.data.Numeric n) {
            return n.bigDecimalValue();
        }
        return v;
    }

    /**
     * SQL that renders a timestamptz column as {@link #value} does (UTC, always six fractional digits),
     * for JSON built inside PostgreSQL; null stays null. The colons are quoted literals so that the
     * statement replays unchanged in pgbench (bench/read-path.sh), which reads {@code :MI} as a variable.
     */
    public static String sqlTimestamptz(String column) {
        return "to_char(" + column + " at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24\":\"MI\":\"SS.US\"+00:00\"')";
    }

    /** timestamptz as PostgREST renders it: UTC, microseconds, {@code +00:00}. */
    private static String timestamptz(OffsetDateTime t) {
        return t.withOffsetSameInstant(ZoneOffset.UTC).format(TIMESTAMPTZ);
    }
}
