package io.slmgen.datasets.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.slmgen.shared.error.ErrorCatalogues;
import io.slmgen.shared.error.ErrorShape;

class DatasetsErrorTest {

    @Test
    void theCatalogueKeepsTheRules() {
        assertEquals(List.of(), ErrorCatalogues.problems(DatasetsError.values()));
    }

    @Test
    void slmgenV1AnswersABadFileTypeWith400WhereOurApiAnswers422() {
        assertEquals(400, DatasetsError.INVALID_FILE_TYPE_V1.status());
        assertEquals(422, DatasetsError.INVALID_FILE_TYPE.status());
        assertEquals(Map.of("detail", "Please upload a .jsonl file"),
                ErrorShape.FASTAPI.body(DatasetsError.INVALID_FILE_TYPE_V1.exception(), false));
    }
}
