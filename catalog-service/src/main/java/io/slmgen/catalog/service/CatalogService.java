package io.slmgen.catalog.service;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.slmgen.catalog.model.CatalogModel;
import io.slmgen.catalog.repository.ModelRepository;
import io.slmgen.shared.api.Page;
import io.slmgen.shared.db.CallerTransactions;
import io.slmgen.shared.error.ApiError;
import io.slmgen.shared.identity.Caller;
import io.smallrye.mutiny.Uni;

/** The model catalog, read as the caller (anon included): the table's policy shows active models. */
@ApplicationScoped
public class CatalogService {

    public static final Set<String> TASKS = io.slmgen.shared.slmgen.Choices.TASKS;
    public static final Set<String> TARGETS = io.slmgen.shared.slmgen.Choices.TARGETS;

    @Inject
    CallerTransactions tx;
    @Inject
    ModelRepository models;

    public Uni<Page<CatalogModel>> list(Caller caller, String task, String deploy, Integer limit, Integer offset) {
        checkTask("task", task);
        checkTarget("deploy", deploy);
        int[] b = Page.bounds(limit == null ? Page.MAX_LIMIT : limit, offset);
        return tx.inSession(caller, () -> models.list(task, deploy, b[0], b[1])
                .flatMap(items -> models.count(task, deploy).map(total -> new Page<>(items, total, b[0], b[1]))));
    }

    public Uni<CatalogModel> get(Caller caller, String id) {
        return tx.inSession(caller, () -> models.findModel(id))
                .map(m -> m.orElseThrow(() -> ApiError.NOT_FOUND.exception("no model with id " + id)));
    }

    public static void checkTask(String field, String task) {
        if (task != null && !TASKS.contains(task)) {
            throw ApiError.VALIDATION_FAILED.exception(field + " must be one of " + sorted(TASKS)).field(field);
        }
    }

    public static void checkTarget(String field, String target) {
        if (target != null && !TARGETS.contains(target)) {
            throw ApiError.VALIDATION_FAILED.exception(field + " must be one of " + sorted(TARGETS)).field(field);
        }
    }

    private static java.util.List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }
}
