package io.slmgen.auth.model;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

/** A user's timestamp as GoTrue's user JSON carries it: UTC with {@code Z}, fraction only as long as needed. */
public class GoTrueTimestamp extends StdSerializer<OffsetDateTime> {

    public GoTrueTimestamp() {
        super(OffsetDateTime.class);
    }

    @Override
    public void serialize(OffsetDateTime value, JsonGenerator gen, SerializerProvider provider) throws IOException {
        gen.writeString(text(value));
    }

    public static String text(OffsetDateTime t) {
        return t == null ? null : DateTimeFormatter.ISO_INSTANT.format(t.toInstant());
    }
}
