-- datasets exactly as the seed (columns, defaults, index, RLS and its three policies - no UPDATE
-- policy, so users can never change a row after upload), then the columns this suite adds.
CREATE TABLE IF NOT EXISTS public.datasets (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID NOT NULL REFERENCES public.profiles(id) ON DELETE CASCADE,
  job_id UUID REFERENCES public.jobs(id) ON DELETE SET NULL,

  filename TEXT NOT NULL,
  storage_path TEXT NOT NULL,
  file_size INTEGER NOT NULL,

  -- Stats
  total_examples INTEGER,
  total_tokens INTEGER,
  avg_tokens_per_example INTEGER,
  quality_score FLOAT,
  single_turn_pct FLOAT,
  multi_turn_pct FLOAT,
  has_system_prompts BOOLEAN DEFAULT FALSE,
  quality_issues JSONB DEFAULT '[]',

  -- Characteristics
  is_multilingual BOOLEAN DEFAULT FALSE,
  looks_like_json BOOLEAN DEFAULT FALSE,
  is_multi_turn BOOLEAN DEFAULT FALSE,

  created_at TIMESTAMPTZ DEFAULT NOW()
);

CREATE INDEX IF NOT EXISTS idx_datasets_user_id ON public.datasets(user_id);

ALTER TABLE public.datasets ENABLE ROW LEVEL SECURITY;

CREATE POLICY "Users can view own datasets" ON public.datasets
  FOR SELECT USING (auth.uid() = user_id);

CREATE POLICY "Users can insert own datasets" ON public.datasets
  FOR INSERT WITH CHECK (auth.uid() = user_id);

CREATE POLICY "Users can delete own datasets" ON public.datasets
  FOR DELETE USING (auth.uid() = user_id);

-- Ours (SPEC §6): characteristics SLMGEN computed but the seed did not keep, the skipped-line report,
-- the upload's session id and the job id allocated at upload (the seed's job_id stays NULL until that
-- job exists; jobs-service links it through datasets-service, which sets it as service_role), and an
-- optional real tokenizer count beside SLMGEN's estimate.
ALTER TABLE public.datasets
  ADD COLUMN IF NOT EXISTS avg_response_length INTEGER,
  ADD COLUMN IF NOT EXISTS dominant_language TEXT,
  ADD COLUMN IF NOT EXISTS invalid_lines INTEGER DEFAULT 0,
  ADD COLUMN IF NOT EXISTS invalid_samples JSONB DEFAULT '[]',
  ADD COLUMN IF NOT EXISTS session_id TEXT UNIQUE NOT NULL,
  ADD COLUMN IF NOT EXISTS allocated_job_id UUID UNIQUE NOT NULL,
  ADD COLUMN IF NOT EXISTS tokenizer_tokens BIGINT;

CREATE INDEX IF NOT EXISTS idx_datasets_user_created ON public.datasets(user_id, created_at DESC);

-- hosted Supabase grants everything on new tables to anon/authenticated by default: take it back
REVOKE ALL ON public.datasets FROM anon, authenticated;
GRANT SELECT ON public.datasets TO anon;
GRANT SELECT, INSERT, DELETE ON public.datasets TO authenticated;
GRANT SELECT, INSERT, UPDATE, DELETE ON public.datasets TO service_role;
