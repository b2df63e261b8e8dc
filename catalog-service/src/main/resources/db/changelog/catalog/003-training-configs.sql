-- training_configs exactly as the seed, with its presets and policies.
CREATE TABLE IF NOT EXISTS public.training_configs (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID REFERENCES public.profiles(id) ON DELETE CASCADE,

  name TEXT NOT NULL,
  is_default BOOLEAN DEFAULT FALSE,
  is_system BOOLEAN DEFAULT FALSE,

  -- LoRA parameters
  lora_rank INTEGER DEFAULT 16,
  lora_alpha INTEGER DEFAULT 32,
  lora_dropout FLOAT DEFAULT 0.05,

  -- Training parameters
  learning_rate FLOAT DEFAULT 2e-4,
  num_epochs INTEGER DEFAULT 3,
  batch_size INTEGER DEFAULT 4,
  gradient_accumulation_steps INTEGER DEFAULT 4,
  warmup_ratio FLOAT DEFAULT 0.03,
  max_seq_length INTEGER DEFAULT 2048,

  -- Optimizer
  optimizer TEXT DEFAULT 'adamw_8bit',
  scheduler TEXT DEFAULT 'linear',

  created_at TIMESTAMPTZ DEFAULT NOW(),
  updated_at TIMESTAMPTZ DEFAULT NOW()
);

-- Insert system presets
INSERT INTO public.training_configs (name, is_system, lora_rank, learning_rate, num_epochs) VALUES
  ('Fast', TRUE, 8, 5e-4, 1),
  ('Balanced', TRUE, 16, 2e-4, 3),
  ('Quality', TRUE, 32, 1e-4, 5)
ON CONFLICT DO NOTHING;

-- at most one default per user (SPEC §5), enforced by the database too
CREATE UNIQUE INDEX IF NOT EXISTS training_configs_one_default_per_user
  ON public.training_configs (user_id) WHERE is_default AND user_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS idx_training_configs_user_id ON public.training_configs (user_id);

ALTER TABLE public.training_configs ENABLE ROW LEVEL SECURITY;

CREATE POLICY "Users can view own and system configs" ON public.training_configs
  FOR SELECT USING (auth.uid() = user_id OR is_system = TRUE);

CREATE POLICY "Users can insert own configs" ON public.training_configs
  FOR INSERT WITH CHECK (auth.uid() = user_id AND is_system = FALSE);

CREATE POLICY "Users can update own configs" ON public.training_configs
  FOR UPDATE USING (auth.uid() = user_id AND is_system = FALSE);

CREATE POLICY "Users can delete own configs" ON public.training_configs
  FOR DELETE USING (auth.uid() = user_id AND is_system = FALSE);

GRANT SELECT ON public.training_configs TO anon;
GRANT SELECT, INSERT, UPDATE, DELETE ON public.training_configs TO authenticated, service_role;
