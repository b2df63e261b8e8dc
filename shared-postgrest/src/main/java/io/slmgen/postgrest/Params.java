package io.slmgen.postgrest;

import java.util.ArrayList;
import java.util.List;

import io.vertx.mutiny.sqlclient.Tuple;

/** The values of one statement: every value from the request travels as a {@code $n} parameter. */
final class Params {

    private final List<Object> values = new ArrayList<>();

    /** A text parameter: {@code $n::text}, cast further in SQL where a type is needed. */
    String text(String value) {
        values.add(value);
        return "$" + values.size() + "::text";
    }

    String integer(int value) {
        values.add(value);
        return "$" + values.size() + "::int";
    }

    Tuple tuple() {
        return Tuple.from(values);
    }
}
