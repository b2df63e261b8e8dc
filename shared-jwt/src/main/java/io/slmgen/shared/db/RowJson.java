package io.slmgen.shared.db;

import java.io.IOException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;

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
     * Writes the rows as a JSON array straight to {@code g}, byte for byte what Jackson writes for
     * {@link #toList} (no intermediate maps). {@code g} must come from the application's
     * {@code ObjectMapper} (it is the codec for values of less common types).
     */
    public static void writeArray(JsonGenerator g, RowSet<Row> rows) throws IOException {
        g.writeStartArray();
        SerializableString[] names = null;
        for (Row r : rows) {
            if (names == null) {
                names = new SerializableString[r.size()];
                for (int i = 0; i < names.length; i++) {
                    names[i] = new SerializedString(r.getColumnName(i));
                }
            }
            g.writeStartObject();
            for (int i = 0; i < names.length; i++) {
                g.writeFieldName(names[i]);
                writeValue(g, r.getValue(i));
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** Writes one column value as {@link #value} renders it and Jackson would serialise the result. */
    public static void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Integer n) {
            g.writeNumber(n.intValue());
        } else if (v instanceof Long n) {
            g.writeNumber(n.longValue());
        } else if (v instanceof Double n) {
            g.writeNumber(n.doubleValue());
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof UUID u) {
            g.writeString(u.toString());
        } else if (v instanceof OffsetDateTime t) {
            g.writeString(timestamptz(t));
        } else if (v instanceof io.vertx.sqlclient.data.Numeric n) {
            g.writeNumber(n.bigDecimalValue());
        } else {
            // everything else exactly as before: the mapper serialises what value() makes of it
            g.writeObject(value(v));
        }
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

    /** timestamptz as PostgREST renders it: UTC, microseconds, {@code +00:00}. */
    private static String timestamptz(OffsetDateTime t) {
        return t.withOffsetSameInstant(ZoneOffset.UTC).format(TIMESTAMPTZ);
    }
}
