package io.slmgen.jobs.repository;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.slmgen.jobs.model.JobCreationEntity;
import io.smallrye.mutiny.Uni;

/**
 * public.job_creations through Panache: the service removes a job's "being created" mark when the job
 * is complete. The mark is inserted with the job row ({@code JobRepository.markCreating}, one hand-written
 * transaction), and the sweep's reads and deletes stay hand-written too (a join with an interval, a
 * conditional delete, outside any request).
 */
@ApplicationScoped
public class JobCreationRepository implements PanacheRepositoryBase<JobCreationEntity, UUID> {

    /** service_role: removes the job's creation marker; false when it was gone (the sweeper undid the job). */
    public Uni<Boolean> done(UUID jobId) {
        return delete("jobId", jobId).map(n -> n == 1);
    }
}
