-- Per-job secrets the notebook sends in X-Job-Secret. Only an HMAC of the secret is kept; the secret
-- itself is shown once (create response) and embedded in the notebook. The owner may insert it with
-- their own job (same transaction); nobody but service_role ever reads it.
CREATE TABLE IF NOT EXISTS public.job_secrets (
  job_id UUID PRIMARY KEY REFERENCES public.jobs(id) ON DELETE CASCADE,
  secret_hash TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

ALTER TABLE public.job_secrets ENABLE ROW LEVEL SECURITY;

CREATE POLICY "Users can set the secret of own jobs" ON public.job_secrets
  FOR INSERT TO authenticated
  WITH CHECK (EXISTS (SELECT 1 FROM public.jobs j WHERE j.id = job_secrets.job_id AND j.user_id = auth.uid()));

REVOKE ALL ON public.job_secrets FROM anon, authenticated;
GRANT INSERT ON public.job_secrets TO authenticated;
GRANT SELECT, INSERT, UPDATE, DELETE ON public.job_secrets TO service_role;
