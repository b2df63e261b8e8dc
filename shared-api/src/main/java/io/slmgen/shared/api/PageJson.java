package io.slmgen.shared.api;

import java.nio.charset.StandardCharsets;

/**
 * A {@link Page} whose items PostgreSQL has already rendered as a JSON array (the list endpoints are
 * the hot read path, SPEC §13): the same shape Jackson writes for a {@code Page}, framed around the
 * bytes without parsing them again.
 */
public final class PageJson {

    private static final byte[] ITEMS = "{\"items\":".getBytes(StandardCharsets.US_ASCII);

    private PageJson() {
    }

    /** @param itemsJson a JSON array in UTF-8, as {@code convert_to(coalesce(json_agg(…), '[]')::text, 'UTF8')} returns it */
    public static byte[] render(byte[] itemsJson, long total, int limit, int offset) {
        byte[] tail = (",\"total\":" + total + ",\"limit\":" + limit + ",\"offset\":" + offset + "}")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[ITEMS.length + itemsJson.length + tail.length];
        System.arraycopy(ITEMS, 0, out, 0, ITEMS.length);
        System.arraycopy(itemsJson, 0, out, ITEMS.length, itemsJson.length);
        System.arraycopy(tail, 0, out, ITEMS.length + itemsJson.length, tail.length);
        return out;
    }
}
