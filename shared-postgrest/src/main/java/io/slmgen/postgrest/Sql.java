package io.slmgen.postgrest;

/** Quoting of identifiers that have already been checked against {@link TableSchema}. */
final class Sql {

    private Sql() {
    }

    static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
