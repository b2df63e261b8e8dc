-- jobs exactly as the seed (columns, defaults, the three indexes) with its four policies.
CREATE TABLE IF NOT EXISTS public.jobs (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID NOT NULL REFERENCES public.profiles(id) ON DELETE CASCADE,
  session_id TEXT UNIQUE NOT NULL,

  -- Dataset info
  dataset_filename TEXT NOT NULL,
  dataset_path TEXT NOT NULL,
  total_examples INTEGER NOT NULL,
  total_tokens INTEGER NOT NULL,
  quality_score FLOAT NOT NULL,

  -- Configuration
  task_type TEXT NOT NULL,
  deployment_target TEXT NOT NULL,

  -- Model selection
  selected_model_id TEXT NOT NULL,
  selected_model_name TEXT NOT NULL,
  model_score FLOAT NOT NULL,

  -- Training config
  training_config JSONB DEFAULT '{}',

  -- Notebook
  notebook_filename TEXT,
  notebook_path TEXT,
  colab_url TEXT,

  -- Status
  status TEXT DEFAULT 'created',

  -- Timestamps
  created_at TIMESTAMPTZ DEFAULT NOW(),
  updated_at TIMESTAMPTZ DEFAULT NOW()
);

CREATE INDEX IF NOT EXISTS idx_jobs_user_id ON public.jobs(user_id);
CREATE INDEX IF NOT EXISTS idx_jobs_session_id ON public.jobs(session_id);
CREATE INDEX IF NOT EXISTS idx_jobs_created_at ON public.jobs(created_at DESC);

ALTER TABLE public.jobs ENABLE ROW LEVEL SECURITY;

CREATE POLICY "Users can view own jobs" ON public.jobs
  FOR SELECT USING (auth.uid() = user_id);

CREATE POLICY "Users can insert own jobs" ON public.jobs
  FOR INSERT WITH CHECK (auth.uid() = user_id);

CREATE POLICY "Users can update own jobs" ON public.jobs
  FOR UPDATE USING (auth.uid() = user_id);

CREATE POLICY "Users can delete own jobs" ON public.jobs
  FOR DELETE USING (auth.uid() = user_id);

GRANT SELECT ON public.jobs TO anon;
GRANT SELECT, INSERT, UPDATE, DELETE ON public.jobs TO authenticated, service_role;
