package io.slmgen.datasets.model;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.slmgen.datasets.analysis.Example;

/** The answer of SLMGEN v1's {@code GET /slmgen/preview/{sid}} (docs/SPEC.md §15): a page of valid examples. */
@JsonPropertyOrder({"examples", "total_count", "page", "page_size"})
public record SlmgenExamplePage(
        List<Item> examples,
        @JsonProperty("total_count") long totalCount,
        int page,
        @JsonProperty("page_size") int pageSize) {

    /** One example with SLMGEN's word-based token count. */
    @JsonPropertyOrder({"index", "messages", "token_count"})
    public record Item(long index, List<Example.Message> messages, @JsonProperty("token_count") long tokenCount) {
    }
}
