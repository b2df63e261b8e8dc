-- Training progress reported by a job's notebook (SPEC §7). Written by jobs-service as service_role
-- after checking the job's secret; read by the job's owner only.
CREATE TABLE IF NOT EXISTS public.job_events (
  id BIGSERIAL PRIMARY KEY,
  job_id UUID NOT NULL REFERENCES public.jobs(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('progress', 'completed', 'failed', 'log', 'cancelled')),
  payload JSONB NOT NULL DEFAULT '{}',
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT job_events_job_id_seq_key UNIQUE (job_id, seq)
);

ALTER TABLE public.job_events ENABLE ROW LEVEL SECURITY;

CREATE POLICY "Users can view events of own jobs" ON public.job_events
  FOR SELECT TO authenticated
  USING (EXISTS (SELECT 1 FROM public.jobs j WHERE j.id = job_events.job_id AND j.user_id = auth.uid()));

-- hosted Supabase grants everything on new tables to anon/authenticated by default: take it back
REVOKE ALL ON public.job_events FROM anon, authenticated;
GRANT SELECT ON public.job_events TO authenticated;
GRANT SELECT, INSERT, UPDATE, DELETE ON public.job_events TO service_role;
GRANT USAGE, SELECT ON SEQUENCE public.job_events_id_seq TO service_role;
