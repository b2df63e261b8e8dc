package io.slmgen.catalog.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.slmgen.shared.error.ErrorCatalogues;
import io.slmgen.shared.error.ErrorShape;

class CatalogErrorTest {

    @Test
    void theCatalogueKeepsTheRules() {
        assertEquals(List.of(), ErrorCatalogues.problems(CatalogError.values()));
    }

    @Test
    void aSystemPresetRefusalIsA403InOurApiShape() {
        Map<String, Object> body = ErrorShape.API.body(CatalogError.SYSTEM_PRESET_IMMUTABLE.exception(), false);
        assertEquals("system_preset_immutable", body.get("error"));
        assertEquals(403, body.get("status"));
    }
}
