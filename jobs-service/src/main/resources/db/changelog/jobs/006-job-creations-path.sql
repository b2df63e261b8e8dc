-- The sweeper undoes an abandoned creation by deleting its notebook object as service_role (SPEC §14).
-- The path it deletes is recorded here, in the same transaction as the job row, instead of being read
-- from jobs.notebook_path, which the owner may rewrite through /rest/v1 (issue 15 item 8). The owner
-- may only record a path inside the job's own folder ({user_id}/{job_id}/{name}), and the sweeper
-- checks that again before it deletes anything.
ALTER TABLE public.job_creations ADD COLUMN IF NOT EXISTS notebook_path TEXT;

DROP POLICY IF EXISTS "Users can mark own jobs as being created" ON public.job_creations;
CREATE POLICY "Users can mark own jobs as being created" ON public.job_creations
  FOR INSERT TO authenticated
  WITH CHECK (EXISTS (
    SELECT 1 FROM public.jobs j
    WHERE j.id = job_creations.job_id AND j.user_id = auth.uid()
      AND (job_creations.notebook_path IS NULL
           OR job_creations.notebook_path ~ ('^' || j.user_id::text || '/' || j.id::text || '/[^/]+$'))));
