package io.slmgen.shared.db;

import java.io.IOException;
import java.time.OffsetDateTime;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

/**
 * A timestamptz of a record written as PostgREST (and {@link RowJson}) writes it:
 * {@code 2024-01-01T12:00:00.123456+00:00}, never Jackson's own date format, so a job reads the same
 * whether PostgreSQL rendered it (a list) or a record did. Every service's records use this one
 * ({@code @JsonSerialize(using = RowTimestamp.class)}).
 */
public class RowTimestamp extends StdSerializer<OffsetDateTime> {

    public RowTimestamp() {
        super(OffsetDateTime.class);
    }

    @Override
    public void serialize(OffsetDateTime value, JsonGenerator gen, SerializerProvider provider) throws IOException {
        gen.writeString(text(value));
    }

    /** The text of {@code t} as the JSON carries it (null stays null). */
    public static String text(OffsetDateTime t) {
        return (String) RowJson.value(t);
    }
}
