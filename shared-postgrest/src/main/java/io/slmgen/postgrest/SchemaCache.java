package io.slmgen.postgrest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.slmgen.shared.db.CallerTransactions;
import io.slmgen.shared.error.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The columns and primary key of each configured table, read from the catalog at first use and kept
 * for the life of the process (PostgREST's "schema cache"). Tables not configured for this service,
 * or absent from the database, are a 404 PGRST205.
 */
@ApplicationScoped
public class SchemaCache {

    static final String COLUMNS = "select a.attname, format_type(a.atttypid, a.atttypmod) "
            + "from pg_attribute a where a.attrelid = to_regclass('public.' || quote_ident($1)) "
            + "and a.attnum > 0 and not a.attisdropped order by a.attnum";

    static final String PRIMARY_KEY = "select a.attname from pg_index i "
            + "join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey) "
            + "where i.indrelid = to_regclass('public.' || quote_ident($1)) and i.indisprimary "
            + "order by array_position(i.indkey::int2[], a.attnum)";

    private final Set<String> exposed;
    private final CallerTransactions tx;
    private final Map<String, TableSchema> cache = new ConcurrentHashMap<>();

    @Inject
    public SchemaCache(PostgrestConfig config, CallerTransactions tx) {
        this.exposed = Set.copyOf(config.tables().orElse(List.of()).stream().map(String::trim)
                .filter(s -> !s.isEmpty()).toList());
        this.tx = tx;
    }

    public boolean exposes(String table) {
        return exposed.contains(table);
    }

    public Uni<TableSchema> table(String name) {
        if (!exposes(name)) {
            return Uni.createFrom().failure(notFound(name));
        }
        TableSchema known = cache.get(name);
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        var pool = tx.pool();
        return pool.preparedQuery(COLUMNS).execute(Tuple.of(name))
                .chain(cols -> pool.preparedQuery(PRIMARY_KEY).execute(Tuple.of(name)).map(pk -> {
                    Map<String, TableSchema.Column> columns = new LinkedHashMap<>();
                    for (Row r : cols) {
                        columns.put(r.getString(0), new TableSchema.Column(r.getString(0), r.getString(1)));
                    }
                    if (columns.isEmpty()) {
                        throw notFound(name);
                    }
                    List<String> key = new ArrayList<>();
                    for (Row r : pk) {
                        key.add(r.getString(0));
                    }
                    TableSchema t = new TableSchema(name, Collections.unmodifiableMap(columns), List.copyOf(key));
                    cache.put(name, t);
                    return t;
                }));
    }

    static ApiException notFound(String table) {
        return PostgrestError.TABLE_NOT_FOUND.exception(
                "Could not find the table 'public." + table + "' in the schema cache");
    }
}
