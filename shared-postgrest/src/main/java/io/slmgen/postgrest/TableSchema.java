package io.slmgen.postgrest;

import java.util.List;
import java.util.Map;

/**
 * One exposed table as the database describes it: its columns (in table order) with their SQL types
 * as {@code format_type} prints them, and its primary key. The only source of identifiers that ever
 * reach SQL text.
 */
public record TableSchema(String name, Map<String, Column> columns, List<String> primaryKey) {

    /** @param type the column's type as {@code format_type()} prints it, used in casts */
    public record Column(String name, String type) {
    }

    public boolean has(String column) {
        return columns.containsKey(column);
    }

    public Column column(String name) {
        return columns.get(name);
    }

    /** {@code "public"."name"} */
    public String qualified() {
        return "\"public\"." + Sql.ident(name);
    }
}
