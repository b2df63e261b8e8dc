package io.slmgen.jobs.repository;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.slmgen.jobs.model.JobSecretEntity;

/**
 * public.job_secrets through Panache: the owner inserts the HMAC with the job (the policy allows only
 * that). Reading it with the job (a join) and replacing it (the definer function replace_job_secret)
 * stay hand-written in {@link JobRepository}.
 */
@ApplicationScoped
public class JobSecretRepository implements PanacheRepositoryBase<JobSecretEntity, UUID> {
}
