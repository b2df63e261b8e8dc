-- SLMGEN v1 (/slmgen/training/start, SPEC §15): what a notebook declares before its first event.
-- Separate from job_events, so a declaration never moves the job's status. Written by jobs-service
-- as service_role after checking the job's secret; read by the job's owner.
CREATE TABLE IF NOT EXISTS public.job_training_runs (
  job_id UUID PRIMARY KEY REFERENCES public.jobs(id) ON DELETE CASCADE,
  total_steps INTEGER NOT NULL CHECK (total_steps >= 0),
  total_epochs INTEGER NOT NULL CHECK (total_epochs >= 0),
  model_id TEXT,
  started_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

ALTER TABLE public.job_training_runs ENABLE ROW LEVEL SECURITY;

CREATE POLICY "Users can view training runs of own jobs" ON public.job_training_runs
  FOR SELECT TO authenticated
  USING (EXISTS (SELECT 1 FROM public.jobs j WHERE j.id = job_training_runs.job_id AND j.user_id = auth.uid()));

REVOKE ALL ON public.job_training_runs FROM anon, authenticated;
GRANT SELECT ON public.job_training_runs TO authenticated;
GRANT SELECT, INSERT, UPDATE, DELETE ON public.job_training_runs TO service_role;

-- Regenerating an SLMGEN notebook replaces the job's secret. The owner may do that for their own job
-- only, without ever reading job_secrets: a definer function checks ownership, then upserts.
CREATE OR REPLACE FUNCTION public.replace_job_secret(p_job_id UUID, p_secret_hash TEXT)
RETURNS VOID
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM public.jobs j WHERE j.id = p_job_id AND j.user_id = auth.uid()) THEN
    RAISE EXCEPTION 'not the owner of job %', p_job_id USING ERRCODE = '42501';
  END IF;
  INSERT INTO public.job_secrets (job_id, secret_hash) VALUES (p_job_id, p_secret_hash)
  ON CONFLICT (job_id) DO UPDATE SET secret_hash = EXCLUDED.secret_hash, created_at = NOW();
END
$$;

REVOKE ALL ON FUNCTION public.replace_job_secret(UUID, TEXT) FROM PUBLIC, anon;
GRANT EXECUTE ON FUNCTION public.replace_job_secret(UUID, TEXT) TO authenticated, service_role;
