package io.slmgen.storage.objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class ContentSafetyTest {

    @Test
    void onlyTheSafeListIsServedInline() {
        for (String t : List.of("image/png", "IMAGE/JPEG", "image/gif; x=1", "image/webp", "image/avif", "audio/mpeg",
                "video/mp4", "video/webm", "text/plain", "text/plain; charset=utf-8", "text/csv", "application/json",
                "application/x-ndjson", "application/jsonl", "application/x-ipynb+json", "application/octet-stream")) {
            assertTrue(ContentSafety.servedInline(t), t);
        }
        for (String t : List.of("text/html", "Text/HTML; charset=utf-8", "application/xhtml+xml", "image/svg+xml",
                "text/xml", "application/xml", "application/rss+xml", "text/javascript", "application/javascript",
                "application/ecmascript", "text/css", "application/pdf", "application/x-shockwave-flash",
                "video/vnd.mpeg.dash.mpd+xml", "application/x-unknown", "text/html/x", "image/png\"><x", "*/*")) {
            assertFalse(ContentSafety.servedInline(t), t);
        }
        // absent or blank: application/octet-stream, which browsers download
        assertTrue(ContentSafety.servedInline(null));
        assertTrue(ContentSafety.servedInline(""));
    }

    @Test
    void typesAreNormalisedAndValidated() {
        assertEquals("text/html", ContentSafety.normalize(" Text/HTML ; charset=utf-8"));
        assertEquals("application/octet-stream", ContentSafety.normalize(null));
        assertTrue(ContentSafety.isValid("application/vnd.api+json"));
        assertFalse(ContentSafety.isValid("image/png/x"));
        assertFalse(ContentSafety.isValid("image/png\u0000"));
        assertFalse(ContentSafety.isValid("image"));
        assertEquals("application/octet-stream", ContentSafety.servedType("a b/c"));
        assertEquals("image/png", ContentSafety.servedType("image/png; q=1"));
    }

    @Test
    void attachmentNamesCannotBreakTheHeader() {
        assertEquals("attachment; filename=\"nb.ipynb\"; filename*=UTF-8''nb.ipynb", ContentSafety.attachment("nb.ipynb"));
        assertEquals("attachment; filename=\"a___Set-Cookie: x\"; filename*=UTF-8''a%22%0D%0ASet-Cookie%3A%20x",
                ContentSafety.attachment("a\"\r\nSet-Cookie: x"));
        assertEquals("attachment; filename=\"__.txt\"; filename*=UTF-8''%C3%A9%E2%82%AC.txt", ContentSafety.attachment("é€.txt"));
        assertEquals("attachment; filename=\"download\"; filename*=UTF-8''download", ContentSafety.attachment(""));
    }
}
