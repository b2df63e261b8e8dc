package io.slmgen.datasets.model;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.slmgen.datasets.analysis.Example;

/**
 * The answer of {@code GET /api/datasets/{id}/preview}: valid examples [offset, offset + limit) read from
 * storage and the dataset's total_examples (null when the row has none).
 */
@JsonPropertyOrder({"items", "total", "limit", "offset"})
public record DatasetPreview(List<Item> items, Integer total, int limit, long offset) {

    /** One example: its index among the valid examples, its physical line, its messages, SLMGEN's token estimate. */
    @JsonPropertyOrder({"index", "line", "messages", "token_count"})
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Item(long index, long line, List<Example.Message> messages,
                       long tokenCount) {

        public static Item of(Example e) {
            return new Item(e.index(), e.line(), e.messages(), e.tokenEstimate());
        }
    }
}
