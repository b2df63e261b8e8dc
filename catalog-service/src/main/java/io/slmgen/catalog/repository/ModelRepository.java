package io.slmgen.catalog.repository;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.slmgen.catalog.model.CatalogModel;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** Reads model_catalog. Which rows are visible (active ones) is the table's policy, not a WHERE here. */
@ApplicationScoped
public class ModelRepository {

    static final String COLUMNS = CatalogModel.COLUMNS;

    /** Models in registry order, optionally those good for a task and/or a deployment target. */
    public Uni<List<CatalogModel>> list(SqlConnection c, String task, String deploy, int limit, int offset) {
        return c.preparedQuery("select " + COLUMNS + " from public.model_catalog "
                        + "where ($1::text is null or $1 = any(good_for_tasks)) "
                        + "and ($2::text is null or $2 = any(good_for_deploy)) "
                        + "order by registry_order limit $3 offset $4")
                .execute(Tuple.of(task, deploy, limit, offset))
                .map(ModelRepository::models);
    }

    public Uni<Long> count(SqlConnection c, String task, String deploy) {
        return c.preparedQuery("select count(*) from public.model_catalog "
                        + "where ($1::text is null or $1 = any(good_for_tasks)) "
                        + "and ($2::text is null or $2 = any(good_for_deploy))")
                .execute(Tuple.of(task, deploy))
                .map(rs -> rs.iterator().next().getLong(0));
    }

    public Uni<Optional<CatalogModel>> find(SqlConnection c, String id) {
        return c.preparedQuery("select " + COLUMNS + " from public.model_catalog where id = $1")
                .execute(Tuple.of(id))
                .map(rs -> models(rs).stream().findFirst());
    }

    /**
     * The visible model with this Hugging Face id, compared case-insensitively as the hub resolves ids
     * (the first in registry order should two rows share an id).
     */
    public Uni<Optional<CatalogModel>> findByHfModelId(SqlConnection c, String hfModelId) {
        return c.preparedQuery("select " + COLUMNS + " from public.model_catalog where lower(hf_model_id) = lower($1) "
                        + "order by registry_order limit 1")
                .execute(Tuple.of(hfModelId))
                .map(rs -> models(rs).stream().findFirst());
    }

    /** Every visible model in registry order (what the scorer ranks). */
    public Uni<List<CatalogModel>> all(SqlConnection c) {
        return c.query("select " + COLUMNS + " from public.model_catalog order by registry_order")
                .execute()
                .map(ModelRepository::models);
    }

    private static List<CatalogModel> models(RowSet<Row> rows) {
        List<CatalogModel> out = new ArrayList<>(rows.rowCount());
        rows.forEach(r -> out.add(modelOf(r)));
        return out;
    }

    static CatalogModel modelOf(Row r) {
        return new CatalogModel(r.getString("id"), r.getString("name"), r.getString("size"),
                r.getInteger("context_window"), r.getBoolean("is_gated"), List.of(r.getArrayOfStrings("strengths")),
                List.of(r.getArrayOfStrings("good_for_tasks")), List.of(r.getArrayOfStrings("good_for_deploy")),
                r.getInteger("min_examples"), r.getDouble("vram_required_gb"),
                r.getInteger("training_time_per_1k_examples_min"), r.getString("hf_model_id"),
                r.getString("unsloth_model_id"), r.getString("chat_template"), r.getBoolean("load_in_4bit"),
                r.getString("architecture"), r.getInteger("registry_order"), r.getBoolean("is_active"),
                r.getOffsetDateTime("created_at"), r.getOffsetDateTime("updated_at"));
    }
}
