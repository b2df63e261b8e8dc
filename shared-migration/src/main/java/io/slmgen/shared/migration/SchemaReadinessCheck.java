package io.slmgen.shared.migration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only once this service's slice is migrated (and so every table it references exists). */
@Readiness
@ApplicationScoped
public class SchemaReadinessCheck implements HealthCheck {

    @Inject
    SliceMigrator migrator;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("database schema slice")
                .status(migrator.isReady())
                .withData("status", migrator.status())
                .build();
    }
}
