package io.slmgen.datasets.client;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

/** Ready only while storage-service answers HTTP (any status): uploads and previews need it. */
@Readiness
@ApplicationScoped
public class StorageReadiness implements AsyncHealthCheck {

    private final StorageClient storage;

    public StorageReadiness(StorageClient storage) {
        this.storage = storage;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return storage.ping()
                .map(status -> HealthCheckResponse.named("storage-service").up().withData("status", status).build())
                .onFailure().recoverWithItem(t -> HealthCheckResponse.named("storage-service").down()
                        .withData("error", String.valueOf(t.getMessage())).build());
    }
}
