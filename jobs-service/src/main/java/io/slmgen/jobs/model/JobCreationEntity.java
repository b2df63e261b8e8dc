package io.slmgen.jobs.model;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A job_creations row (changesets job-creations, job-creations-path): the job is being created, and the
 * notebook object an undo must remove. Written by the owner with the job row (hand-written); removed by
 * service_role through {@code repository/JobCreationRepository}.
 */
@Entity
@Table(schema = "public", name = "job_creations")
public class JobCreationEntity {

    @Id
    public UUID jobId;
    /** The column default (now()), set by the hand-written insert. */
    @Column(name = "started_at", insertable = false, updatable = false)
    public OffsetDateTime startedAt;
    public String notebookPath;
}
