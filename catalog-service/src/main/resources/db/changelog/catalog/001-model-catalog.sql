-- SLMGEN's model registry as a table. registry_order is SLMGEN's order: it breaks score ties.
CREATE TABLE IF NOT EXISTS public.model_catalog (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  size TEXT NOT NULL,
  context_window INTEGER NOT NULL CHECK (context_window > 0),
  is_gated BOOLEAN NOT NULL DEFAULT FALSE,
  strengths TEXT[] NOT NULL DEFAULT '{}',
  good_for_tasks TEXT[] NOT NULL DEFAULT '{}',
  good_for_deploy TEXT[] NOT NULL DEFAULT '{}',
  min_examples INTEGER NOT NULL CHECK (min_examples > 0),
  vram_required_gb FLOAT NOT NULL,
  training_time_per_1k_examples_min INTEGER NOT NULL,
  hf_model_id TEXT NOT NULL,
  unsloth_model_id TEXT NOT NULL,
  chat_template TEXT NOT NULL,
  load_in_4bit BOOLEAN NOT NULL DEFAULT TRUE,
  registry_order INTEGER NOT NULL UNIQUE,
  is_active BOOLEAN NOT NULL DEFAULT TRUE,
  created_at TIMESTAMPTZ DEFAULT NOW(),
  updated_at TIMESTAMPTZ DEFAULT NOW()
);

ALTER TABLE public.model_catalog ENABLE ROW LEVEL SECURITY;

-- anyone (the anon key included) reads active models; only service_role (which bypasses RLS) writes
CREATE POLICY "Anyone can view active models" ON public.model_catalog
  FOR SELECT USING (is_active = TRUE);

GRANT SELECT ON public.model_catalog TO anon, authenticated;
GRANT SELECT, INSERT, UPDATE, DELETE ON public.model_catalog TO service_role;
