package io.slmgen.shared.migration;

import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.slmgen.shared.error.ApiError;
import io.slmgen.shared.error.ErrorResponses;

/**
 * Until this service's slice is migrated (docs/SPEC.md §1: services start in any order and wait for the
 * slices they reference), every request but the health and metrics routes under /q/ answers a retriable
 * 503 in the path family's shape, before anything reads the caller's credentials or the database.
 */
public class MigrationGate {

    @Inject
    SliceMigrator migrator;

    @ServerRequestFilter(preMatching = true, priority = Priorities.AUTHENTICATION - 100)
    public Response awaitMigrations(ContainerRequestContext ctx) {
        if (migrator.isReady() || ctx.getUriInfo().getPath().startsWith("/q/")) {
            return null;
        }
        return ErrorResponses.of(ctx, ApiError.SERVICE_UNAVAILABLE.exception("service is starting: " + migrator.status()));
    }
}
