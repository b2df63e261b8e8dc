-- A job being created (SPEC §14): the marker is written in the same transaction as the job row and
-- removed once the notebook is stored and the dataset linked. A marker that outlives
-- slmgen.jobs.creation-timeout means the service died mid-creation: jobs-service's sweeper (as
-- service_role) deletes the notebook object and the job row, which cascades the marker.
-- Jobs made without a notebook (/slmgen/jobs) never get one.
CREATE TABLE IF NOT EXISTS public.job_creations (
  job_id UUID PRIMARY KEY REFERENCES public.jobs(id) ON DELETE CASCADE,
  started_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

ALTER TABLE public.job_creations ENABLE ROW LEVEL SECURITY;

-- the owner may mark their own job (insert only, as with job_secrets); nobody else sees markers
CREATE POLICY "Users can mark own jobs as being created" ON public.job_creations
  FOR INSERT TO authenticated
  WITH CHECK (EXISTS (SELECT 1 FROM public.jobs j WHERE j.id = job_creations.job_id AND j.user_id = auth.uid()));

REVOKE ALL ON public.job_creations FROM anon, authenticated;
GRANT INSERT ON public.job_creations TO authenticated;
GRANT SELECT, INSERT, UPDATE, DELETE ON public.job_creations TO service_role;
