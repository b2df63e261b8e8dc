package io.slmgen.datasets.client;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

/** Ready only while storage-service answers HTTP (any status): uploads and previews need it. */
@Readiness
@ApplicationScoped
public class StorageReadiness implements AsyncHealthCheck {

    @Inject
    StorageClient storage;

    @Override
    public Uni<HealthCheckResponse> call() {
        return storage.ping()
                .map(status -> HealthCheckResponse.named("storage-service").up().withData("status", status).build())
                .onFailure().recoverWithItem(t -> HealthCheckResponse.named("storage-service").down()
                        .withData("error", String.valueOf(t.getMessage())).build());
    }
}
