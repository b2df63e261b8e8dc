package io.slmgen.jobs.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import io.slmgen.shared.training.TrainingValues;

class NotebookRendererTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final UUID JOB = UUID.fromString("11111111-2222-3333-4444-555555555555");
    static final TrainingValues BASE = new TrainingValues(16, 32, 0.05, 2e-4, 3, 4, 4, 0.03, 2048, "adamw_8bit", "linear");

    final NotebookRenderer renderer = new NotebookRenderer();

    static NotebookSpec spec(TrainingValues t) {
        return new NotebookSpec(JOB, "Qwen 2.5 3B", "qwen25", "unsloth/Qwen2.5-3B-Instruct-bnb-4bit", "qwen-2.5", true,
                false, "qa", "cloud", t, "chats.jsonl", 120, 36, "https://sb.example.test/storage/v1/object/sign/datasets/u/j/chats.jsonl?token=abc",
                null, null, null);
    }

    static JsonSchema schema() throws Exception {
        try (InputStream in = NotebookRendererTest.class.getResourceAsStream("/nbformat/nbformat.v4.schema.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in);
        }
    }

    /** All code cells' source joined. */
    static String code(String notebook) throws Exception {
        StringBuilder b = new StringBuilder();
        for (JsonNode cell : JSON.readTree(notebook).get("cells")) {
            if ("code".equals(cell.get("cell_type").asText())) {
                for (JsonNode line : cell.get("source")) {
                    b.append(line.asText());
                }
                b.append("\n");
            }
        }
        return b.toString();
    }

    static String markdown(String notebook) throws Exception {
        StringBuilder b = new StringBuilder();
        for (JsonNode cell : JSON.readTree(notebook).get("cells")) {
            if ("markdown".equals(cell.get("cell_type").asText())) {
                cell.get("source").forEach(l -> b.append(l.asText()));
                b.append("\n");
            }
        }
        return b.toString();
    }

    @Test
    void theNotebookIsValidNbformat4() throws Exception {
        String nb = renderer.render(spec(BASE));
        Set<ValidationMessage> errors = schema().validate(JSON.readTree(nb));
        assertEquals(Set.of(), errors);
        JsonNode root = JSON.readTree(nb);
        assertEquals(4, root.get("nbformat").asInt());
        assertEquals("python3", root.at("/metadata/kernelspec/name").asText());
        // gated, embedded and progress-on variants are valid too
        NotebookSpec other = new NotebookSpec(JOB, "Llama 3.2 3B", "llama32", "unsloth/Llama-3.2-3B-Instruct", "llama-3.1",
                false, true, "conversation", "edge", BASE, "x.jsonl", 60, null, null,
                "{\"messages\":[]}\n".getBytes(StandardCharsets.UTF_8), "https://sb.example.test/api/jobs/" + JOB + "/events", "js_secret");
        assertEquals(Set.of(), schema().validate(JSON.readTree(renderer.render(other))));
    }

    @Test
    void theSchemaRejectsABrokenNotebook() throws Exception {
        ObjectNode nb = (ObjectNode) JSON.readTree(renderer.render(spec(BASE)));
        for (JsonNode cell : nb.get("cells")) {
            if ("code".equals(cell.get("cell_type").asText())) {
                ((ObjectNode) cell).remove("outputs");
                break;
            }
        }
        assertFalse(schema().validate(nb).isEmpty());
        ObjectNode v3 = (ObjectNode) JSON.readTree(renderer.render(spec(BASE)));
        v3.put("nbformat", 3);
        assertFalse(schema().validate(v3).isEmpty());
    }

    @Test
    void everyStepIsExplainedInMarkdown() throws Exception {
        String md = markdown(renderer.render(spec(BASE)));
        for (String heading : new String[] {"## 1. Install Unsloth", "## 2. Check the GPU", "## 3. Training settings",
                "## 4. Load the dataset", "## 5. Load the base model", "## 6. Add LoRA adapters",
                "## 7. Apply the chat template", "## 8. Progress reporting", "## 9. Train", "## 10. Try it",
                "## 11. Save and export"}) {
            assertTrue(md.contains(heading), heading);
        }
    }

    @Test
    void theCodeUsesEveryTrainingValueAndTheModel() throws Exception {
        String code = code(renderer.render(spec(BASE)));
        for (String line : new String[] {
                "!pip install unsloth",
                "MODEL_NAME = \"unsloth/Qwen2.5-3B-Instruct-bnb-4bit\"",
                "CHAT_TEMPLATE = \"qwen-2.5\"",
                "LOAD_IN_4BIT = True",
                "MAX_SEQ_LENGTH = 2048",
                "LORA_RANK = 16",
                "LORA_ALPHA = 32",
                "LORA_DROPOUT = 0.05",
                "LEARNING_RATE = 0.0002",
                "NUM_EPOCHS = 3",
                "BATCH_SIZE = 4",
                "GRADIENT_ACCUMULATION_STEPS = 4",
                "WARMUP_RATIO = 0.03",
                "OPTIMIZER = \"adamw_8bit\"",
                "LR_SCHEDULER = \"linear\"",
                "FastLanguageModel.from_pretrained(\n    model_name=MODEL_NAME,\n    max_seq_length=MAX_SEQ_LENGTH,",
                "load_in_4bit=LOAD_IN_4BIT,",
                "r=LORA_RANK,\n    lora_alpha=LORA_ALPHA,\n    lora_dropout=LORA_DROPOUT,",
                "tokenizer = get_chat_template(tokenizer, chat_template=CHAT_TEMPLATE)",
                "max_seq_length=MAX_SEQ_LENGTH,\n    packing=False,",
                "learning_rate=LEARNING_RATE,\n        num_train_epochs=NUM_EPOCHS,\n"
                        + "        per_device_train_batch_size=BATCH_SIZE,\n"
                        + "        gradient_accumulation_steps=GRADIENT_ACCUMULATION_STEPS,\n"
                        + "        warmup_ratio=WARMUP_RATIO,\n        optim=OPTIMIZER,\n        lr_scheduler_type=LR_SCHEDULER,",
                "callbacks=[progress],",
                "model.save_pretrained(\"lora_adapter\")",
                "save_method=\"merged_16bit\"",
                "model.save_pretrained_gguf(\"model-gguf\", tokenizer, quantization_method=\"q4_k_m\")",
                "EXPORT_MERGED_16BIT = True",
                "EXPORT_GGUF = False",
        }) {
            assertTrue(code.contains(line), () -> "missing: " + line);
        }
    }

    @Test
    void changingEachTrainingValueChangesTheNotebook() throws Exception {
        check(t -> new TrainingValues(64, t.lora_alpha(), t.lora_dropout(), t.learning_rate(), t.num_epochs(), t.batch_size(),
                t.gradient_accumulation_steps(), t.warmup_ratio(), t.max_seq_length(), t.optimizer(), t.scheduler()),
                "LORA_RANK = 16", "LORA_RANK = 64");
        check(t -> new TrainingValues(t.lora_rank(), 128, t.lora_dropout(), t.learning_rate(), t.num_epochs(), t.batch_size(),
                t.gradient_accumulation_steps(), t.warmup_ratio(), t.max_seq_length(), t.optimizer(), t.scheduler()),
                "LORA_ALPHA = 32", "LORA_ALPHA = 128");
        check(t -> new TrainingValues(t.lora_rank(), t.lora_alpha(), 0.0, t.learning_rate(), t.num_epochs(), t.batch_size(),
                t.gradient_accumulation_steps(), t.warmup_ratio(), t.max_seq_length(), t.optimizer(), t.scheduler()),
                "LORA_DROPOUT = 0.05", "LORA_DROPOUT = 0.0");
        check(t -> new TrainingValues(t.lora_rank(), t.lora_alpha(), t.lora_dropout(), 5e-5, t.num_epochs(), t.batch_size(),
                t.gradient_accumulation_steps(), t.warmup_ratio(), t.max_seq_length(), t.optimizer(), t.scheduler()),
                "LEARNING_RATE = 0.0002", "LEARNING_RATE = 0.00005");
        check(t -> new TrainingValues(t.lora_rank(), t.lora_alpha(), t.lora_dropout(), t.learning_rate(), 7, t.batch_size(),
                t.gradient_accumulation_steps(), t.warmup_ratio(), t.max_seq_length(), t.optimizer(), t.scheduler()),
                "NUM_EPOCHS = 3", "NUM_EPOCHS = 7");
        check(t -> new TrainingValues(t.lora_rank(), t.lora_alpha(), t.lora_dropout(), t.learning_rate(), t.num_epochs(), 2,
                t.gradient_accumulation_steps(), t.warmup_ratio(), t.max_seq_length(), t.optimizer(), t.scheduler()),
                "BATCH_SIZE = 4", "BATCH_SIZE = 2");
        check(t -> new TrainingValues(t.lora_rank(), t.lora_alpha(), t.lora_dropout(), t.learning_rate(), t.num_epochs(), t.batch_size(),
                16, t.warmup_ratio(), t.max_seq_length(), t.optimizer(), t.scheduler()),
                "GRADIENT_ACCUMULATION_STEPS = 4", "GRADIENT_ACCUMULATION_STEPS = 16");
        check(t -> new TrainingValues(t.lora_rank(), t.lora_alpha(), t.lora_dropout(), t.learning_rate(), t.num_epochs(), t.batch_size(),
                t.gradient_accumulation_steps(), 0.1, t.max_seq_length(), t.optimizer(), t.scheduler()),
                "WARMUP_RATIO = 0.03", "WARMUP_RATIO = 0.1");
        check(t -> new TrainingValues(t.lora_rank(), t.lora_alpha(), t.lora_dropout(), t.learning_rate(), t.num_epochs(), t.batch_size(),
                t.gradient_accumulation_steps(), t.warmup_ratio(), 4096, t.optimizer(), t.scheduler()),
                "MAX_SEQ_LENGTH = 2048", "MAX_SEQ_LENGTH = 4096");
        check(t -> new TrainingValues(t.lora_rank(), t.lora_alpha(), t.lora_dropout(), t.learning_rate(), t.num_epochs(), t.batch_size(),
                t.gradient_accumulation_steps(), t.warmup_ratio(), t.max_seq_length(), "paged_adamw_8bit", t.scheduler()),
                "OPTIMIZER = \"adamw_8bit\"", "OPTIMIZER = \"paged_adamw_8bit\"");
        check(t -> new TrainingValues(t.lora_rank(), t.lora_alpha(), t.lora_dropout(), t.learning_rate(), t.num_epochs(), t.batch_size(),
                t.gradient_accumulation_steps(), t.warmup_ratio(), t.max_seq_length(), t.optimizer(), "cosine"),
                "LR_SCHEDULER = \"linear\"", "LR_SCHEDULER = \"cosine\"");
    }

    private void check(UnaryOperator<TrainingValues> change, String before, String after) throws Exception {
        String base = code(renderer.render(spec(BASE)));
        String changed = code(renderer.render(spec(change.apply(BASE))));
        assertTrue(base.contains(before + "\n"), before);
        assertFalse(changed.contains(before + "\n"), () -> "still " + before);
        assertTrue(changed.contains(after + "\n"), after);
    }

    @Test
    void theModelValuesComeFromTheCatalogRow() throws Exception {
        NotebookSpec s = new NotebookSpec(JOB, "Phi-4 Mini", "phi4", "unsloth/Phi-4-mini-instruct", "phi-4", false, false,
                "classify", "edge", BASE, "d.jsonl", 100, null, "https://x.test/d", null, null, null);
        String code = code(renderer.render(s));
        assertTrue(code.contains("MODEL_NAME = \"unsloth/Phi-4-mini-instruct\"\n"));
        assertTrue(code.contains("CHAT_TEMPLATE = \"phi-4\"\n"));
        assertTrue(code.contains("LOAD_IN_4BIT = False\n"));
        // small-device target: GGUF on, merged off
        assertTrue(code.contains("EXPORT_GGUF = True\n"));
        assertTrue(code.contains("EXPORT_MERGED_16BIT = False\n"));
        // no chat template in the catalog: the tokenizer's own is kept
        NotebookSpec none = new NotebookSpec(JOB, "M", "m", "org/m", null, true, false, "qa", "cloud", BASE, "d.jsonl",
                100, null, "https://x.test/d", null, null, null);
        assertTrue(code(renderer.render(none)).contains("CHAT_TEMPLATE = None\n"));
    }

    @Test
    void gatedModelsGetAHuggingFaceLoginCell() throws Exception {
        NotebookSpec gated = new NotebookSpec(JOB, "Llama", "llama32", "unsloth/Llama-3.2-3B-Instruct", "llama-3.1", true,
                true, "qa", "cloud", BASE, "d.jsonl", 100, null, "https://x.test/d", null, null, null);
        assertTrue(code(renderer.render(gated)).contains("from huggingface_hub import login\n\nlogin()"));
        assertFalse(code(renderer.render(spec(BASE))).contains("huggingface_hub"));
    }

    @Test
    void theDatasetIsLinkedOrEmbedded() throws Exception {
        String linked = code(renderer.render(spec(BASE)));
        assertTrue(linked.contains("DATASET_URL = \"https://sb.example.test/storage/v1/object/sign/datasets/u/j/chats.jsonl?token=abc\"\n"));
        assertTrue(linked.contains("urllib.request.urlopen(DATASET_URL)"));
        assertFalse(linked.contains("DATASET_B64"));

        byte[] data = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}\n".getBytes(StandardCharsets.UTF_8);
        NotebookSpec s = new NotebookSpec(JOB, "Qwen", "qwen25", "unsloth/q", "qwen-2.5", true, false, "qa", "cloud", BASE,
                "chats.jsonl", 1, null, null, data, null, null);
        String embedded = code(renderer.render(s));
        // base64 of the line above, computed by hand with `base64`
        assertTrue(embedded.contains("DATASET_B64 = \"eyJtZXNzYWdlcyI6W3sicm9sZSI6InVzZXIiLCJjb250ZW50IjoiaGkifV19Cg==\"\n"));
        assertFalse(embedded.contains("DATASET_URL"));
    }

    @Test
    void progressReportingOnlyWithAPublicUrl() throws Exception {
        String off = code(renderer.render(spec(BASE)));
        assertTrue(off.contains("EVENTS_URL = None\nJOB_SECRET = None\n"));
        NotebookSpec on = new NotebookSpec(JOB, "Qwen", "qwen25", "unsloth/q", "qwen-2.5", true, false, "qa", "cloud", BASE,
                "d.jsonl", 1, null, "https://x.test/d", null, "https://sb.example.test/api/jobs/" + JOB + "/events", "js_abc");
        String code = code(renderer.render(on));
        assertTrue(code.contains("EVENTS_URL = \"https://sb.example.test/api/jobs/11111111-2222-3333-4444-555555555555/events\"\n"));
        assertTrue(code.contains("JOB_SECRET = \"js_abc\"\n"));
        assertTrue(code.contains("class SlmgenProgress(TrainerCallback):"));
        assertTrue(code.contains("\"X-Job-Secret\": self.secret"));
        assertTrue(code.contains("self.send({\"type\": \"progress\", \"step\": state.global_step"));
        assertTrue(code.contains("self.send({\"type\": \"completed\""));
        assertTrue(code.contains("progress.report_failure(e)"));
    }

    @Test
    void hostileValuesStayInsideTheirLiterals() throws Exception {
        String evil = "x\"\nimport os; os.system(\"rm -rf /\") #\\é\u2028.jsonl";
        NotebookSpec s = new NotebookSpec(JOB, "<script>alert(1)</script> *bold*", "m", "org/m\"); import os #", "t", true,
                false, "qa", "cloud", BASE, evil, 1, null, "https://x.test/d?a=\"b\"", null, null, null);
        String nb = renderer.render(s);
        String code = code(nb);
        // written by hand: quotes and backslashes escaped, newline as \n, non-ASCII as hex / unicode escapes
        assertTrue(code.contains("DATASET_FILENAME = \"x\\\"\\nimport os; os.system(\\\"rm -rf /\\\") #\\\\\\xe9\\u2028.jsonl\"\n"), code);
        assertTrue(code.contains("MODEL_NAME = \"org/m\\\"); import os #\"\n"));
        assertTrue(code.contains("DATASET_URL = \"https://x.test/d?a=\\\"b\\\"\"\n"));
        for (String line : code.split("\n")) {
            assertFalse(line.startsWith("import os"), line);
        }
        String md = markdown(nb);
        assertFalse(md.contains("<script>"));
        assertTrue(md.contains("&lt;script&gt;alert(1)&lt;/script&gt; \\*bold\\*"));
        assertEquals(Set.of(), schema().validate(JSON.readTree(nb)));
    }

    /** Every code cell is valid Python 3 (shell and cell magics aside); needs python3 on the PATH. */
    @Test
    void theCodeCellsParseAsPython() throws Exception {
        boolean python;
        try {
            python = new ProcessBuilder("python3", "--version").start().waitFor() == 0;
        } catch (java.io.IOException e) {
            python = false;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(python, "python3 not installed");
        NotebookSpec s = new NotebookSpec(JOB, "Qwen \"2.5\"", "qwen25", "unsloth/q\"x", "qwen-2.5", true, true, "qa", "edge",
                BASE, "ev\"il\n.jsonl", 1, 3, null, "{}\n".getBytes(StandardCharsets.UTF_8), "https://x.test/e", "js_x");
        java.nio.file.Path file = java.nio.file.Files.createTempFile("nb", ".ipynb");
        java.nio.file.Files.writeString(file, renderer.render(s));
        String script = "import json, ast, sys\n"
                + "nb = json.load(open(sys.argv[1]))\n"
                + "for c in nb['cells']:\n"
                + "    if c['cell_type'] == 'code':\n"
                + "        ast.parse('\\n'.join(l for l in ''.join(c['source']).split('\\n') if not l.startswith(('!', '%%'))))\n";
        Process p = new ProcessBuilder("python3", "-c", script, file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        java.nio.file.Files.delete(file);
    }

    @Test
    void pythonLiterals() {
        assertEquals("0.0002", Py.real(2e-4));
        assertEquals("3.0", Py.real(3));
        assertEquals("0.05", Py.real(0.05));
        assertEquals("None", Py.str(null));
        assertEquals("\"a\\\\b\\\"c\\n\\t\\x00\\U0001f600\"", Py.str("a\\b\"c\n\t\0\uD83D\uDE00"));
    }

    // ---- the model's architecture and size (custom models, SPEC §15) ----

    static NotebookSpec custom(ModelTraits traits, TrainingValues t, long examples) {
        return new NotebookSpec(JOB, "tiny-chat", traits.hfModelId(), traits.hfModelId(), null, true, false, "qa", "cloud", t,
                "chats.jsonl", examples, null, "https://sb.example.test/x?token=abc", null, null, null, traits);
    }

    static String targets(ModelTraits traits, String modelId) throws Exception {
        String code = code(new NotebookRenderer().render(new NotebookSpec(JOB, "M", "m", modelId, "chatml", true, false, "qa",
                "cloud", BASE, "d.jsonl", 60, 1, "https://x.test/d", null, null, null, traits)));
        int at = code.indexOf("target_modules=");
        return code.substring(at + "target_modules=".length(), code.indexOf("],", at) + 1);
    }

    @Test
    void loraTargetsFollowTheArchitectureAsSlmgen() throws Exception {
        String llama = "[\"q_proj\", \"k_proj\", \"v_proj\", \"o_proj\", \"gate_proj\", \"up_proj\", \"down_proj\"]";
        String attention = "[\"q_proj\", \"k_proj\", \"v_proj\", \"o_proj\"]";
        String phi = "[\"q_proj\", \"k_proj\", \"v_proj\", \"o_proj\", \"fc1\", \"fc2\"]";
        assertEquals(llama, targets(new ModelTraits("a/b", "LlamaForCausalLM", null, null, null, null, false), "a/b"));
        assertEquals(llama, targets(new ModelTraits("a/b", "Phi3ForCausalLM", null, null, null, null, false), "a/b"));
        assertEquals(phi, targets(new ModelTraits("a/b", "PhiForCausalLM", null, null, null, null, false), "a/b"));
        assertEquals(attention, targets(new ModelTraits("a/b", "Gemma2ForCausalLM", null, null, null, null, false), "a/b"));
        assertEquals(attention, targets(new ModelTraits("a/b", "GemmaForCausalLM", null, null, null, null, false), "a/b"));
        assertEquals(llama, targets(new ModelTraits("a/b", "Qwen2ForCausalLM", null, null, null, null, false), "a/b"));
        // architecture unknown (gated, or an older catalog): SLMGEN guesses from the id
        assertEquals(attention, targets(new ModelTraits("google/gemma-7b", "Unknown (gated)", null, null, null, null, true), "x"));
        // SLMGEN's check is case-sensitive, so "dolphin" is not taken for a Phi
        assertEquals(llama, targets(new ModelTraits("acme/dolphin-llama3-8b", null, null, null, null, null, false), "x"));
        assertEquals(phi, targets(new ModelTraits("microsoft/Phi-2", null, null, null, null, null, false), "x"));
        assertEquals(llama, targets(new ModelTraits("microsoft/Phi-3-mini-4k-instruct", "Unknown", null, null, null, null, false), "x"));
        assertEquals(attention, targets(ModelTraits.UNKNOWN, "unsloth/gemma-2-2b-it-bnb-4bit"));
        assertEquals(llama, targets(ModelTraits.UNKNOWN, "unsloth/Qwen2.5-3B-Instruct"));
    }

    @Test
    void aCustomModelGetsSizeDependentSettings() throws Exception {
        ModelTraits tiny = new ModelTraits("acme/tiny-chat", "LlamaForCausalLM", "1.1B", 1_100_048_384L, null, 1024, true);
        String nb = renderer.render(custom(tiny, BASE, 120));
        assertEquals(Set.of(), schema().validate(JSON.readTree(nb)));
        String code = code(nb);
        String md = markdown(nb);
        assertTrue(code.contains("MODEL_NAME = \"acme/tiny-chat\""), code);
        assertTrue(code.contains("CHAT_TEMPLATE = None"), code);
        assertTrue(code.contains("elif not getattr(tokenizer, \"chat_template\", None):\n"
                + "    # the model ships no chat template of its own: ChatML, a common default\n"
                + "    tokenizer = get_chat_template(tokenizer, chat_template=\"chatml\")"), code);
        // SLMGEN's estimate for its 1.1B class: int(5 * 1.2 * 3) = 18 minutes; 0.85 * 1.1 + 2 ≈ 2.94 → 3 GB
        assertTrue(md.contains("- **Estimated time:** ~18 minutes on a T4 GPU"), md);
        assertTrue(md.contains("- **Size:** 1.1B parameters, about 3 GB of GPU memory to train in 4-bit"), md);
        assertTrue(md.contains("- **Architecture:** LlamaForCausalLM"), md);
        assertTrue(md.contains("custom model"), md);
        assertTrue(code.contains("NEEDED_GPU_GB = 3.0"), code);
        // the 1024-token context window caps the config's 2048
        assertTrue(code.contains("MAX_SEQ_LENGTH = 1024  # the config's 2048, capped at the model's context window"), code);
        assertFalse(md.contains("more GPU memory than a T4"), md);

        // a 30B model does not fit a T4: said up front, and the GPU check warns
        ModelTraits big = new ModelTraits("acme/big", "Qwen2ForCausalLM", "30B", 30_000_000_000L, null, 32768, true);
        String bigNb = renderer.render(custom(big, BASE, 1000));
        String bigMd = markdown(bigNb);
        assertTrue(bigMd.contains("more GPU memory than a T4 has"), bigMd);
        assertTrue(bigMd.contains("A100"), bigMd);
        // beyond SLMGEN's 7B class the base grows in proportion: round(25 * 30 / 7) = 107 → int(107 * 10 * 3)
        assertTrue(bigMd.contains("~3210 minutes"), bigMd);
        assertTrue(code(bigNb).contains("MAX_SEQ_LENGTH = 2048\n"), code(bigNb));

        // nothing known about the size: no estimate, no memory check
        String plain = renderer.render(custom(new ModelTraits("acme/x", "Unknown (gated)", null, null, null, null, true), BASE, 100));
        assertFalse(markdown(plain).contains("Estimated time"));
        assertFalse(code(plain).contains("NEEDED_GPU_GB"));
    }

    @Test
    void sizeClassesFollowSlmgensTable() {
        assertEquals(5, SizeRules.baseMinutes(494_000_000L));
        assertEquals(5, SizeRules.baseMinutes(1_100_000_000L));
        assertEquals(6, SizeRules.baseMinutes(1_300_000_000L));
        assertEquals(7, SizeRules.baseMinutes(1_700_000_000L));
        assertEquals(8, SizeRules.baseMinutes(2_000_000_000L));
        assertEquals(12, SizeRules.baseMinutes(3_200_000_000L));
        assertEquals(15, SizeRules.baseMinutes(3_800_000_000L));
        assertEquals(25, SizeRules.baseMinutes(7_240_000_000L));
        assertEquals(46, SizeRules.baseMinutes(13_000_000_000L));
        // catalog labels: SLMGEN's table, 15 for anything else
        assertEquals(Integer.valueOf(54), SizeRules.trainingMinutes(new ModelTraits(null, null, "3B", null, null, null, false), 150));
        assertEquals(Integer.valueOf(67), SizeRules.trainingMinutes(new ModelTraits(null, null, "14B", null, null, null, false), 150));
        assertEquals(null, SizeRules.trainingMinutes(ModelTraits.UNKNOWN, 150));
        assertEquals(Double.valueOf(6.0), SizeRules.vramGb(new ModelTraits(null, null, "3.8B", null, 6.0, null, false)));
        assertEquals(Double.valueOf(8.5), SizeRules.vramGb(new ModelTraits(null, null, null, 7_240_000_000L, null, null, true)));
    }
}
