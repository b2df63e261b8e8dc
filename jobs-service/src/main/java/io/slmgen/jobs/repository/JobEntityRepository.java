package io.slmgen.jobs.repository;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.slmgen.jobs.model.Job;
import io.slmgen.jobs.model.JobEntity;
import io.smallrye.mutiny.Uni;

/**
 * public.jobs through Hibernate Reactive Panache: the simple finds and deletes. Runs inside
 * {@code CallerTransactions.inSession}, so the seed's policies decide what is found: someone else's job
 * simply is not there. What stays hand-written, and why, is in {@link JobRepository}.
 */
@ApplicationScoped
public class JobEntityRepository implements PanacheRepositoryBase<JobEntity, UUID> {

    /** Order of every list of jobs: newest first, ties by id (as {@code JobRepository.LIST_JSON}). */
    static final Sort NEWEST_FIRST = Sort.descending("createdAt", "id");

    public Uni<Optional<Job>> job(UUID id) {
        return findById(id).map(e -> Optional.ofNullable(e).map(JobEntity::toRecord));
    }

    public Uni<Optional<Job>> jobBySession(String sessionId) {
        return find("sessionId", sessionId).firstResult().map(e -> Optional.ofNullable(e).map(JobEntity::toRecord));
    }

    /** A page of jobs, newest first. */
    public Uni<List<Job>> page(int limit, int offset) {
        return findAll(NEWEST_FIRST).range(offset, offset + limit - 1).list()
                .map(rows -> rows.stream().map(JobEntity::toRecord).toList());
    }

    /**
     * Deletes the job now (its events, secret and marker cascade in PostgreSQL); empty when it is not visible
     * or not the caller's to delete. One statement, never remove/deleteById (shared-rls README "Deleting rows").
     */
    public Uni<Optional<Job>> deleteJob(UUID id) {
        return findById(id).flatMap(e -> e == null ? Uni.createFrom().item(Optional.<Job>empty())
                : delete("id", id).map(n -> n > 0 ? Optional.of(e.toRecord()) : Optional.<Job>empty()));
    }
}
