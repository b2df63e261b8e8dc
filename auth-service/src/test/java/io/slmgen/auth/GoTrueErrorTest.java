package io.slmgen.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.slmgen.auth.service.GoTrueError;
import io.slmgen.shared.error.ErrorCatalogues;
import io.slmgen.shared.error.ErrorShape;

class GoTrueErrorTest {

    @Test
    void theCatalogueKeepsTheRules() {
        assertEquals(List.of(), ErrorCatalogues.problems(GoTrueError.values()));
    }

    @Test
    void anEntryIsGoTruesBodyInBothVersions() {
        Map<String, Object> legacy = new LinkedHashMap<>();
        legacy.put("code", 422);
        legacy.put("error_code", "email_exists");
        legacy.put("msg", "A user with this email address has already been registered");
        assertEquals(legacy, ErrorShape.GOTRUE.body(GoTrueError.EMAIL_EXISTS.exception(), false));
        Map<String, Object> versioned = new LinkedHashMap<>();
        versioned.put("code", "email_exists");
        versioned.put("message", "A user with this email address has already been registered");
        assertEquals(versioned, ErrorShape.GOTRUE.body(GoTrueError.EMAIL_EXISTS.exception(), true));
    }
}
