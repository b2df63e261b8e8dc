package io.slmgen.jobs.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.slmgen.jobs.notebook.ModelTraits;

/** catalog-service's answers, as it writes them (every field, in its order), bind to the records jobs-service reads. */
class CatalogRecordsTest {

    // as Quarkus' REST client mapper: unknown properties are what the records' @JsonIgnoreProperties allow
    private final ObjectMapper mapper = new ObjectMapper()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    static final String RANKED = "{\"model_id\":\"qwen25\",\"model_name\":\"Qwen 2.5 3B\",\"hf_model_id\":\"Qwen/Qwen2.5-3B-Instruct\","
            + "\"unsloth_model_id\":\"unsloth/Qwen2.5-3B-Instruct\",\"chat_template\":\"qwen-2.5\",\"load_in_4bit\":true,"
            + "\"architecture\":\"Qwen2ForCausalLM\",\"size\":\"3B\",\"context_window\":32768,\"vram_required_gb\":null,"
            + "\"is_gated\":false,\"score\":85.5,\"reasons\":[\"fits\"],\"estimated_training_minutes\":12}";

    @Test
    void aRankingBindsAndItsEntriesAreModels() throws Exception {
        Recommendation r = mapper.readValue("{\"dataset_id\":\"d\",\"task_type\":\"qa\",\"deployment_target\":\"cloud\","
                + "\"primary\":" + RANKED + ",\"alternatives\":[" + RANKED.replace("qwen25", "phi") + "]}", Recommendation.class);
        assertEquals(2, r.ranked().size());
        Recommendation.Ranked first = r.ranked().get(0);
        assertEquals(85.5, first.score());
        assertEquals(12, first.estimatedTrainingMinutes());
        CatalogModel m = first.model();
        assertEquals("qwen25", m.id());
        assertEquals("Qwen 2.5 3B", m.name());
        assertEquals(Boolean.TRUE, m.loadIn4bit());
        assertEquals(new ModelTraits("Qwen/Qwen2.5-3B-Instruct", "Qwen2ForCausalLM", "3B", null, null, 32768, false),
                ModelTraits.of(m));
        assertEquals("phi", r.ranked().get(1).modelId());
    }

    @Test
    void aCatalogRowBindsWithTheColumnsItDoesNotRead() throws Exception {
        CatalogModel m = mapper.readValue("{\"id\":\"smollm2\",\"name\":\"SmolLM2 1.7B\",\"size\":\"1.7B\",\"context_window\":0,"
                + "\"is_gated\":true,\"strengths\":[\"small\"],\"good_for_tasks\":[\"qa\"],\"good_for_deploy\":[\"edge\"],"
                + "\"min_examples\":50,\"vram_required_gb\":4.5,\"training_time_per_1k_examples_min\":3,"
                + "\"hf_model_id\":\"HuggingFaceTB/SmolLM2-1.7B-Instruct\",\"unsloth_model_id\":null,\"chat_template\":null,"
                + "\"load_in_4bit\":false,\"architecture\":\"LlamaForCausalLM\",\"registry_order\":3,\"is_active\":true,"
                + "\"created_at\":\"2024-01-01T12:00:00.000000+00:00\",\"updated_at\":null}", CatalogModel.class);
        assertEquals(Boolean.TRUE, m.isGated());
        assertNull(m.unslothModelId());
        ModelTraits t = ModelTraits.of(m);
        assertEquals(4.5, t.vramGb());
        assertNull(t.contextWindow(), "a context window of 0 is unknown");
        assertFalse(t.custom());
    }

    @Test
    void aValidationBindsAndTheCatalogListToo() throws Exception {
        ModelValidation v = mapper.readValue("{\"model_id\":\"acme/x\",\"name\":\"x\",\"architecture\":\"Phi3ForCausalLM\","
                + "\"context_window\":4096,\"is_gated\":false,\"downloads\":10,\"likes\":2,\"is_compatible\":true,"
                + "\"compatibility_reason\":\"ok\",\"supported_architectures\":[\"Phi3ForCausalLM\"],\"parameters\":3821079552,"
                + "\"size\":\"3.8B\",\"catalog_id\":null}", ModelValidation.class);
        assertTrue(v.isCompatible());
        assertEquals(3821079552L, v.parameters());
        assertNull(v.catalogId());
        CatalogModel.Page page = mapper.readValue("{\"items\":[{\"id\":\"qwen25\",\"hf_model_id\":\"Qwen/Qwen2.5-3B-Instruct\"}],"
                + "\"total\":1,\"limit\":100,\"offset\":0}", CatalogModel.Page.class);
        assertEquals("Qwen/Qwen2.5-3B-Instruct", page.items().get(0).hfModelId());
    }
}
