-- The transformers architecture of each catalog model (config.json's architectures[0]): decides its
-- Unsloth compatibility and its LoRA target modules, and lets POST /slmgen/validate-model answer for
-- catalog models without asking the Hugging Face Hub (SPEC §15). NULL = unknown (then the hub is asked).
ALTER TABLE public.model_catalog ADD COLUMN IF NOT EXISTS architecture TEXT;

UPDATE public.model_catalog SET architecture = v.architecture
FROM (VALUES
  ('phi4', 'Phi3ForCausalLM'),
  ('llama32', 'LlamaForCausalLM'),
  ('gemma2', 'Gemma2ForCausalLM'),
  ('qwen25', 'Qwen2ForCausalLM'),
  ('mistral7b', 'MistralForCausalLM'),
  ('smollm2', 'LlamaForCausalLM'),
  ('llama32_1b', 'LlamaForCausalLM'),
  ('tinyllama', 'LlamaForCausalLM'),
  ('stablelm', 'StableLmForCausalLM'),
  ('deepseek_coder', 'LlamaForCausalLM'),
  ('phi35', 'Phi3ForCausalLM')
) AS v(id, architecture)
WHERE public.model_catalog.id = v.id AND public.model_catalog.architecture IS NULL;
