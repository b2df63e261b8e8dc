package io.slmgen.catalog.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.slmgen.catalog.hub.HubAnswers.ConfigAccess;

/** SLMGEN's validation rules and the id check, without HTTP (the HTTP side is in SlmgenRecommendTest). */
class HubAnswersTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    static HubModelId id(String s) {
        return HubModelId.parse(s).orElseThrow();
    }

    @Test
    void wellFormedIdsFollowTheHubsRepoIdRules() {
        for (String ok : new String[] {"microsoft/Phi-4-mini-instruct", "Qwen/Qwen2.5-3B-Instruct", "a/b", "_x/y_",
                "HuggingFaceTB/SmolLM2-1.7B-Instruct", "org-1/model.v2_final"}) {
            assertTrue(HubModelId.parse(ok).isPresent(), ok);
        }
        for (String bad : new String[] {null, "", "gpt2", "a/b/c", "a//b", "../b", "a/..", "a/b..c", "a/b--c", "-a/b",
                "a/b-", ".a/b", "a/b.", "a/b.git", "a/b?c", "a/b#c", "a/b%20", "a/b c", "a/é", "a\\b", "a/b\n"}) {
            assertFalse(HubModelId.parse(bad).isPresent(), String.valueOf(bad));
        }
        assertTrue(HubModelId.parse("a/" + "b".repeat(94)).isPresent());
        assertFalse(HubModelId.parse("a/" + "b".repeat(95)).isPresent());
        assertEquals("acme", id("acme/x").owner());
        assertEquals("x", id("acme/x").name());
    }

    @Test
    void contextWindowTakesSlmgensKeysInOrderElse4096() throws Exception {
        assertEquals(8192, HubAnswers.contextWindow(json("{\"n_positions\":1024,\"max_position_embeddings\":8192}")));
        assertEquals(2048, HubAnswers.contextWindow(json("{\"max_seq_length\":2048,\"n_positions\":1024}")));
        assertEquals(1024, HubAnswers.contextWindow(json("{\"max_position_embeddings\":null,\"n_positions\":1024}")));
        assertEquals(4096, HubAnswers.contextWindow(json("{\"max_position_embeddings\":\"lots\"}")));
        assertEquals(4096, HubAnswers.contextWindow(json("{}")));
        assertEquals(4096, HubAnswers.contextWindow(null));
    }

    @Test
    void gatedIsFalseOrAutoOrManual() throws Exception {
        assertFalse(HubAnswers.gatedFlag(json("false")));
        assertTrue(HubAnswers.gatedFlag(json("\"auto\"")));
        assertTrue(HubAnswers.gatedFlag(json("\"manual\"")));
        assertTrue(HubAnswers.gatedFlag(json("true")));
        assertFalse(HubAnswers.gatedFlag(JSON.missingNode()));
    }

    @Test
    void sizesReadLikeTheCatalogs() {
        assertEquals("494M", HubAnswers.sizeLabel(494_032_768L));
        assertEquals("1.1B", HubAnswers.sizeLabel(1_100_048_384L));
        assertEquals("1B", HubAnswers.sizeLabel(999_700_000L));
        assertEquals("3.2B", HubAnswers.sizeLabel(3_212_749_824L));
        assertEquals("7B", HubAnswers.sizeLabel(7_000_000_000L));
        assertNull(HubAnswers.sizeLabel(null));
    }

    @Test
    void configJsonWinsAndAGatedConfigFallsBackToTheInfo() throws Exception {
        JsonNode info = json("{\"id\":\"Acme/Model\",\"gated\":false,\"downloads\":10,\"likes\":2,"
                + "\"config\":{\"architectures\":[\"MistralForCausalLM\"]},\"safetensors\":{\"total\":7241732096}}");
        ModelValidation read = HubAnswers.fromHub(id("acme/model"), info, ConfigAccess.READ,
                json("{\"architectures\":[\"LlamaForCausalLM\"],\"max_position_embeddings\":131072}"));
        assertEquals("acme/model", read.model_id());
        assertEquals("Model", read.name());
        assertEquals("LlamaForCausalLM", read.architecture());
        assertEquals(131072, read.context_window());
        assertEquals(7241732096L, read.parameters());
        assertEquals("7.2B", read.size());
        ModelValidation gated = HubAnswers.fromHub(id("acme/model"), info, ConfigAccess.GATED, null);
        assertEquals("MistralForCausalLM", gated.architecture());
        assertTrue(gated.is_gated());
        assertEquals(4096, gated.context_window());
        ModelValidation missing = HubAnswers.fromHub(id("acme/model"), json("{\"id\":\"acme/model\"}"), ConfigAccess.MISSING, null);
        assertEquals("Unknown", missing.architecture());
        assertFalse(missing.is_compatible());
        assertEquals("⚠️ Architecture 'Unknown' may not be optimized by Unsloth", missing.compatibility_reason());
    }
}
