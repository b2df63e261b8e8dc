package io.slmgen.jobs.model;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A job_secrets row (changeset job-secrets): the HMAC of a job's secret. Its owner may only insert it;
 * only service_role reads it (the SLMGEN routes read it joined to the job, by hand-written SQL).
 */
@Entity
@Table(schema = "public", name = "job_secrets")
public class JobSecretEntity {

    @Id
    @Column(name = "job_id")
    public UUID jobId;
    @Column(name = "secret_hash", nullable = false)
    public String secretHash;
    /** The column default (now()); never read back: the owner who inserts the row may not select it. */
    @Column(name = "created_at", insertable = false, updatable = false)
    public OffsetDateTime createdAt;

    public static JobSecretEntity of(UUID jobId, String secretHash) {
        JobSecretEntity s = new JobSecretEntity();
        s.jobId = jobId;
        s.secretHash = secretHash;
        return s;
    }
}
