package io.slmgen.datasets.model;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** The answer of SLMGEN v1's {@code GET /slmgen/preview/{sid}/duplicates}: the number of copies and the first indices. */
@JsonPropertyOrder({"count", "examples"})
public record SlmgenDuplicates(long count, List<Long> examples) {
}
