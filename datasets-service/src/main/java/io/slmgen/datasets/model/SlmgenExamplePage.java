package io.slmgen.datasets.model;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.slmgen.datasets.analysis.Example;

/** The answer of SLMGEN v1's {@code GET /slmgen/preview/{sid}} (docs/SPEC.md §15): a page of valid examples. */
@JsonPropertyOrder({"examples", "total_count", "page", "page_size"})
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SlmgenExamplePage(
        List<Item> examples,
        long totalCount,
        int page,
        int pageSize) {

    /** One example with SLMGEN's word-based token count. */
    @JsonPropertyOrder({"index", "messages", "token_count"})
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Item(long index, List<Example.Message> messages, long tokenCount) {
    }
}
