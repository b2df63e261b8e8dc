package io.slmgen.catalog.model;

import java.io.IOException;
import java.time.OffsetDateTime;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import io.slmgen.shared.db.RowJson;

/**
 * A timestamptz in a record rendered as PostgREST renders it, through the same helper the map rows use
 * ({@code 2024-01-01T12:00:00.123456+00:00}, SPEC §1): Jackson's own OffsetDateTime format would differ
 * (fewer digits, {@code Z}).
 */
public class PostgrestTimestamp extends StdSerializer<OffsetDateTime> {

    public PostgrestTimestamp() {
        super(OffsetDateTime.class);
    }

    @Override
    public void serialize(OffsetDateTime value, JsonGenerator gen, SerializerProvider provider) throws IOException {
        gen.writeString((String) RowJson.value(value));
    }
}
