package io.slmgen.shared.api;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.slmgen.shared.db.RowJson;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;

/**
 * A {@link Page} of rows rendered straight to JSON bytes: the same bytes Jackson writes for
 * {@code new Page<>(RowJson.toList(rows), total, limit, offset)}, without the maps in between (the
 * list endpoints are the hot read path, SPEC §13).
 */
public final class PageJson {

    private PageJson() {
    }

    public static byte[] render(ObjectMapper mapper, RowSet<Row> rows, long total, int limit, int offset) {
        ByteArrayBuilder out = new ByteArrayBuilder(mapper.getFactory()._getBufferRecycler(), 16 * 1024);
        try (JsonGenerator g = mapper.createGenerator(out)) {
            g.writeStartObject();
            g.writeFieldName("items");
            RowJson.writeArray(g, rows);
            g.writeNumberField("total", total);
            g.writeNumberField("limit", limit);
            g.writeNumberField("offset", offset);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] bytes = out.toByteArray();
        out.release();
        return bytes;
    }
}
