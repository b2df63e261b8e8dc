package io.slmgen.catalog.repository;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.slmgen.shared.db.RowJson;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** Reads model_catalog. Which rows are visible (active ones) is the table's policy, not a WHERE here. */
@ApplicationScoped
public class ModelRepository {

    static final String COLUMNS = "id, name, size, context_window, is_gated, strengths, good_for_tasks, good_for_deploy, "
            + "min_examples, vram_required_gb, training_time_per_1k_examples_min, hf_model_id, unsloth_model_id, "
            + "chat_template, load_in_4bit, architecture, registry_order, is_active, created_at, updated_at";

    /** Models in registry order, optionally those good for a task and/or a deployment target. */
    public Uni<List<Map<String, Object>>> list(SqlConnection c, String task, String deploy, int limit, int offset) {
        return c.preparedQuery("select " + COLUMNS + " from public.model_catalog "
                        + "where ($1::text is null or $1 = any(good_for_tasks)) "
                        + "and ($2::text is null or $2 = any(good_for_deploy)) "
                        + "order by registry_order limit $3 offset $4")
                .execute(Tuple.of(task, deploy, limit, offset))
                .map(RowJson::toList);
    }

    public Uni<Long> count(SqlConnection c, String task, String deploy) {
        return c.preparedQuery("select count(*) from public.model_catalog "
                        + "where ($1::text is null or $1 = any(good_for_tasks)) "
                        + "and ($2::text is null or $2 = any(good_for_deploy))")
                .execute(Tuple.of(task, deploy))
                .map(rs -> rs.iterator().next().getLong(0));
    }

    public Uni<Optional<Map<String, Object>>> find(SqlConnection c, String id) {
        return c.preparedQuery("select " + COLUMNS + " from public.model_catalog where id = $1")
                .execute(Tuple.of(id))
                .map(rs -> {
                    var it = rs.iterator();
                    return it.hasNext() ? Optional.of(RowJson.toMap(it.next())) : Optional.empty();
                });
    }

    /**
     * The visible model with this Hugging Face id, compared case-insensitively as the hub resolves ids
     * (the first in registry order should two rows share an id).
     */
    public Uni<Optional<Map<String, Object>>> findByHfModelId(SqlConnection c, String hfModelId) {
        return c.preparedQuery("select " + COLUMNS + " from public.model_catalog where lower(hf_model_id) = lower($1) "
                        + "order by registry_order limit 1")
                .execute(Tuple.of(hfModelId))
                .map(rs -> {
                    var it = rs.iterator();
                    return it.hasNext() ? Optional.of(RowJson.toMap(it.next())) : Optional.empty();
                });
    }

    /** Every visible model in registry order, as rows for the scorer. */
    public Uni<List<Row>> allRows(SqlConnection c) {
        return c.query("select " + COLUMNS + " from public.model_catalog order by registry_order")
                .execute()
                .map(rs -> {
                    List<Row> rows = new java.util.ArrayList<>();
                    rs.forEach(rows::add);
                    return rows;
                });
    }
}
