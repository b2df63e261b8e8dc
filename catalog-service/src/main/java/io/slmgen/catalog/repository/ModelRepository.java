package io.slmgen.catalog.repository;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheQuery;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.slmgen.catalog.model.CatalogModel;
import io.slmgen.catalog.model.CatalogModelEntity;
import io.smallrye.mutiny.Uni;

/**
 * Reads model_catalog through Panache, inside the caller's session transaction. Which rows are visible
 * (active ones) is the table's policy, not a condition here.
 */
@ApplicationScoped
public class ModelRepository implements PanacheRepositoryBase<CatalogModelEntity, String> {

    /** Models in registry order, optionally those good for a task and/or a deployment target. */
    public Uni<List<CatalogModel>> list(String task, String deploy, int limit, int offset) {
        return filtered(task, deploy, " order by registryOrder").range(offset, offset + limit - 1).list()
                .map(ModelRepository::models);
    }

    public Uni<Long> count(String task, String deploy) {
        return filtered(task, deploy, "").count();
    }

    public Uni<Optional<CatalogModel>> findModel(String id) {
        return findById(id).map(e -> Optional.ofNullable(e).map(CatalogModelEntity::toModel));
    }

    /**
     * The visible model with this Hugging Face id, compared case-insensitively as the hub resolves ids
     * (the first in registry order should two rows share an id).
     */
    public Uni<Optional<CatalogModel>> findByHfModelId(String hfModelId) {
        return find("lower(hfModelId) = lower(?1) order by registryOrder", hfModelId).firstResult()
                .map(e -> Optional.ofNullable(e).map(CatalogModelEntity::toModel));
    }

    /** Every visible model in registry order (what the scorer ranks). */
    public Uni<List<CatalogModel>> all() {
        return find("order by registryOrder").list().map(ModelRepository::models);
    }

    /**
     * Only the filters asked for. {@code array_position(...) > 0} (HQL answers 0 when absent) rather than array_contains:
     * Hibernate renders that as {@code @> cast(array[?] as varchar array)}, which text[] columns refuse.
     */
    private PanacheQuery<CatalogModelEntity> filtered(String task, String deploy, String order) {
        List<String> where = new ArrayList<>(2);
        List<Object> params = new ArrayList<>(2);
        if (task != null) {
            params.add(task);
            where.add("array_position(goodForTasks, ?" + params.size() + ") > 0");
        }
        if (deploy != null) {
            params.add(deploy);
            where.add("array_position(goodForDeploy, ?" + params.size() + ") > 0");
        }
        if (where.isEmpty()) {
            return order.isEmpty() ? findAll() : find(order.strip());
        }
        return find(String.join(" and ", where) + order, params.toArray());
    }

    private static List<CatalogModel> models(List<CatalogModelEntity> rows) {
        return rows.stream().map(CatalogModelEntity::toModel).toList();
    }
}
