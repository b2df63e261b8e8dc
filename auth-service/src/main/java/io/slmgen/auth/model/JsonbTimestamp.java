package io.slmgen.auth.model;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

/**
 * A timestamptz as PostgreSQL writes it inside jsonb (a UTC session, as every deployment's database runs):
 * {@code 2024-01-01T12:00:00.1234+00:00}, the fraction without trailing zeros and left out when zero. A user's
 * identities have always been rendered that way (they were built with jsonb_build_object), and still are
 * when they come from entities.
 */
public class JsonbTimestamp extends StdSerializer<OffsetDateTime> {

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    public JsonbTimestamp() {
        super(OffsetDateTime.class);
    }

    @Override
    public void serialize(OffsetDateTime value, JsonGenerator gen, SerializerProvider provider) throws IOException {
        gen.writeString(text(value));
    }

    public static String text(OffsetDateTime t) {
        if (t == null) {
            return null;
        }
        OffsetDateTime utc = t.withOffsetSameInstant(ZoneOffset.UTC);
        StringBuilder out = new StringBuilder(SECONDS.format(utc));
        int micros = utc.getNano() / 1000;
        if (micros != 0) {
            String fraction = String.format("%06d", micros);
            int end = fraction.length();
            while (fraction.charAt(end - 1) == '0') {
                end--;
            }
            out.append('.').append(fraction, 0, end);
        }
        return out.append("+00:00").toString();
    }
}
