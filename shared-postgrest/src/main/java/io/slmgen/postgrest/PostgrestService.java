package io.slmgen.postgrest;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import io.slmgen.shared.db.CallerTransactions;
import io.slmgen.shared.identity.Caller;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Runs PostgREST-style reads and writes on one exposed table, always as the caller (RLS decides), in
 * one statement that renders its rows to JSON inside PostgreSQL (json_agg, as PostgREST does).
 */
@ApplicationScoped
public class PostgrestService {

    @Inject
    SchemaCache schema;
    @Inject
    CallerTransactions tx;
    @Inject
    ObjectMapper mapper;

    // ---------------------------------------------------------------- GET / HEAD

    /** @param head a HEAD request: the same statement, but no JSON is built */
    Uni<PgResult> read(Caller caller, String table, PgRequest req, boolean head) {
        return schema.table(table).chain(t -> {
            Params p = new Params();
            QueryParts q = new QueryParts(t, p);
            String cols = q.select(req.select());
            String where = where(q, req);
            String order = req.order() == null || req.order().isBlank() ? "" : " ORDER BY " + q.order(req.order());
            String page = (req.limit() != null ? " LIMIT " + req.limit() : "")
                    + (req.offset() > 0 ? " OFFSET " + req.offset() : "");
            String total = req.countExact()
                    ? "(SELECT count(*) FROM " + t.qualified() + " AS _t WHERE " + where + ")" : "NULL::bigint";
            String sql = "SELECT " + (head ? "NULL::text" : body(req)) + ", count(*), " + total + " FROM (SELECT " + cols + " FROM "
                    + t.qualified() + " AS _t WHERE " + where + order + page + ") AS _s";
            return run(caller, sql, p, rows -> {
                Row r = rows.iterator().next();
                long n = r.getLong(1);
                Long count = r.getLong(2);
                long lower = req.offset();
                long upper = lower + n - 1;
                String range = (n == 0 ? "*" : lower + "-" + upper) + "/" + (count == null ? "*" : count);
                int status = 200;
                if (count != null) {
                    if (lower > count) {
                        throw PostgrestError.RANGE_NOT_SATISFIABLE.exception()
                                .details("An offset of " + lower + " was requested, but there are only " + count + " rows.")
                                .header("Content-Range", "*/" + count);
                    }
                    if (1 + upper - lower < count) {
                        status = 206;
                    }
                }
                if (req.single() && n != 1) {
                    throw PgrstErrors.singular(n);
                }
                return new PgResult(status, r.getString(0), range, req.single());
            });
        });
    }

    // ---------------------------------------------------------------- POST

    Uni<PgResult> insert(Caller caller, String table, PgRequest req, String bodyText) {
        ArrayNode rows = rowsOf(bodyText);
        return schema.table(table).chain(t -> {
            Params p = new Params();
            QueryParts q = new QueryParts(t, p);
            List<String> cols;
            if (req.columns() != null) {
                cols = q.columnList(req.columns(), "columns");
            } else {
                cols = new ArrayList<>();
                for (JsonNode row : rows) {
                    for (Iterator<String> it = row.fieldNames(); it.hasNext(); ) {
                        String k = it.next();
                        if (!t.has(k)) {
                            throw PgrstErrors.unknownPayloadColumn(t, k);
                        }
                        if (!cols.contains(k)) {
                            cols.add(k);
                        }
                    }
                }
            }
            String returning = req.representation() ? q.select(req.select()) : null;
            if (rows.isEmpty()) {
                if (req.single()) {
                    throw PgrstErrors.singular(0);
                }
                return Uni.createFrom().item(new PgResult(201, returning == null ? null : "[]",
                        "*/" + (req.countExact() ? "0" : "*"), false));
            }
            String target = cols.stream().map(Sql::ident).collect(Collectors.joining(", "));
            String json = write(rows);
            StringBuilder sql = new StringBuilder("INSERT INTO ").append(t.qualified()).append(" AS _t ");
            if (cols.isEmpty()) {
                if (rows.size() > 1) {
                    throw PgrstErrors.badJson("objects without keys can only be inserted one at a time");
                }
                sql.append("DEFAULT VALUES");
            } else if ("default".equals(req.prefer().get("missing"))) {
                // Prefer: missing=default - a key absent from an object takes the column's default
                sql.append('(').append(target).append(") VALUES ");
                List<String> tuples = new ArrayList<>();
                for (JsonNode row : rows) {
                    String param = p.text(write(row));
                    tuples.add("(" + cols.stream().map(c -> row.has(c)
                            ? "(SELECT " + Sql.ident(c) + " FROM json_populate_record(NULL::" + t.qualified() + ", "
                                    + param + "::json))"
                            : "DEFAULT").collect(Collectors.joining(", ")) + ")");
                }
                sql.append(String.join(", ", tuples));
            } else {
                sql.append('(').append(target).append(") SELECT ").append(target)
                        .append(" FROM json_populate_recordset(NULL::").append(t.qualified()).append(", ")
                        .append(p.text(json)).append("::json) AS _j");
            }
            String resolution = req.resolution();
            if ("merge-duplicates".equals(resolution) || "ignore-duplicates".equals(resolution)) {
                List<String> key = req.onConflict() != null ? q.columnList(req.onConflict(), "on_conflict") : t.primaryKey();
                String conflict = key.isEmpty() ? "" : "(" + key.stream().map(Sql::ident).collect(Collectors.joining(", ")) + ") ";
                if ("merge-duplicates".equals(resolution) && !cols.isEmpty()) {
                    if (key.isEmpty()) {
                        throw PostgrestError.PARSE_ERROR.exception(
                                "on_conflict is required: table '" + t.name() + "' has no primary key");
                    }
                    sql.append(" ON CONFLICT ").append(conflict).append("DO UPDATE SET ").append(cols.stream()
                            .map(c -> Sql.ident(c) + " = EXCLUDED." + Sql.ident(c)).collect(Collectors.joining(", ")));
                } else {
                    sql.append(" ON CONFLICT ").append(conflict).append("DO NOTHING");
                }
            }
            return mutate(caller, sql.toString(), p, req, returning, 201);
        });
    }

    // ---------------------------------------------------------------- PATCH

    Uni<PgResult> update(Caller caller, String table, PgRequest req, String bodyText) {
        JsonNode body = parse(bodyText);
        if (!body.isObject()) {
            throw PgrstErrors.badJson("PATCH takes one JSON object");
        }
        return schema.table(table).chain(t -> {
            Params p = new Params();
            QueryParts q = new QueryParts(t, p);
            List<String> cols = new ArrayList<>();
            if (req.columns() != null) {
                cols = q.columnList(req.columns(), "columns");
            } else {
                for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
                    String k = it.next();
                    if (!t.has(k)) {
                        throw PgrstErrors.unknownPayloadColumn(t, k);
                    }
                    cols.add(k);
                }
            }
            String returning = req.representation() ? q.select(req.select()) : null;
            String where = where(q, req);
            if (cols.isEmpty()) {
                // nothing to change: PostgREST answers as if no row matched
                return Uni.createFrom().item(new PgResult(returning == null ? 204 : 200,
                        returning == null ? null : "[]", "*/*", false));
            }
            String json = p.text(write(body));
            String sql = "UPDATE " + t.qualified() + " AS _t SET "
                    + cols.stream().map(c -> Sql.ident(c) + " = _r." + Sql.ident(c)).collect(Collectors.joining(", "))
                    + " FROM json_populate_record(NULL::" + t.qualified() + ", " + json + "::json) AS _r WHERE " + where;
            return mutate(caller, sql, p, req, returning, returning == null ? 204 : 200);
        });
    }

    // ---------------------------------------------------------------- DELETE

    Uni<PgResult> delete(Caller caller, String table, PgRequest req) {
        return schema.table(table).chain(t -> {
            Params p = new Params();
            QueryParts q = new QueryParts(t, p);
            String returning = req.representation() ? q.select(req.select()) : null;
            String sql = "DELETE FROM " + t.qualified() + " AS _t WHERE " + where(q, req);
            return mutate(caller, sql, p, req, returning, returning == null ? 204 : 200);
        });
    }

    // ---------------------------------------------------------------- helpers

    /** Runs an INSERT/UPDATE/DELETE; with representation its RETURNING rows are rendered in SQL. */
    private Uni<PgResult> mutate(Caller caller, String statement, Params p, PgRequest req, String returning,
                                 int status) {
        boolean insert = statement.startsWith("INSERT");
        String sql = returning == null ? statement
                : "WITH _m AS (" + statement + " RETURNING " + returning + ") SELECT " + body(req)
                        + ", count(*) FROM _m AS _s";
        return run(caller, sql, p, rows -> {
            long n;
            String json = null;
            if (returning == null) {
                n = rows.rowCount();
            } else {
                Row r = rows.iterator().next();
                json = r.getString(0);
                n = r.getLong(1);
            }
            Long max = req.maxAffected();
            if (!insert && max != null && n > max) {
                throw PostgrestError.MAX_AFFECTED_EXCEEDED.exception().details("The query affects " + n + " rows");
            }
            if (req.single() && (returning != null ? n != 1 : n > 1)) {
                throw PgrstErrors.singular(n);
            }
            String total = req.countExact() ? String.valueOf(n) : "*";
            String range = insert || n == 0 ? "*/" + total : "0-" + (n - 1) + "/" + total;
            return new PgResult(status, json, range, req.single());
        });
    }

    private <T> Uni<T> run(Caller caller, String sql, Params p, Function<RowSet<Row>, T> then) {
        return tx.run(caller, (SqlConnection conn) -> conn.preparedQuery(sql).execute(p.tuple())
                .onFailure().transform(e -> PgrstErrors.translate(e, caller.role()))
                .map(then));
    }

    private static String body(PgRequest req) {
        String row = req.stripNulls() ? "json_strip_nulls(row_to_json(_s))" : "row_to_json(_s)";
        return req.single() ? "CASE WHEN count(*) = 1 THEN (json_agg(" + row + ") -> 0)::text END"
                : "coalesce(json_agg(" + row + "), '[]')::text";
    }

    private static String where(QueryParts q, PgRequest req) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, String> f : req.filters()) {
            String key = f.getKey();
            if (key.equals("or") || key.equals("and") || key.equals("not.or") || key.equals("not.and")) {
                parts.add(q.logic(key, f.getValue()));
            } else {
                parts.add(q.filter(key, f.getValue()));
            }
        }
        return parts.isEmpty() ? "true" : String.join(" AND ", parts);
    }

    private JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            throw PgrstErrors.badJson("the request body is empty");
        }
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw PgrstErrors.badJson(e.getOriginalMessage());
        }
    }

    private ArrayNode rowsOf(String text) {
        JsonNode body = parse(text);
        ArrayNode rows;
        if (body.isObject()) {
            rows = mapper.createArrayNode().add(body);
        } else if (body.isArray()) {
            rows = (ArrayNode) body;
        } else {
            throw PgrstErrors.badJson("expected a JSON object or an array of objects");
        }
        for (JsonNode row : rows) {
            if (!row.isObject()) {
                throw PgrstErrors.badJson("expected a JSON object or an array of objects");
            }
        }
        return rows;
    }

    private String write(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw PgrstErrors.badJson(e.getOriginalMessage());
        }
    }
}
