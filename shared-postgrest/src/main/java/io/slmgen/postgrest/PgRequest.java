package io.slmgen.postgrest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.ws.rs.core.MultivaluedMap;

/**
 * What one /rest/v1 request asks for, read from its query string and headers: the parts postgrest-js
 * sends (select, filters, order, limit/offset, Range, Prefer, Accept, profiles).
 */
record PgRequest(String select, List<Map.Entry<String, String>> filters, String order, Long limit, long offset,
                 Map<String, String> prefer, boolean single, boolean stripNulls, String columns,
                 String onConflict) {

    private static final Pattern RANGE = Pattern.compile("^\\s*(?:items=)?(\\d{1,18})-(\\d{0,18})\\s*$");

    static PgRequest parse(MultivaluedMap<String, String> query, List<String> preferHeaders, String accept,
                           String range, String profile) {
        if (profile != null && !profile.isBlank() && !profile.trim().equals("public")) {
            throw PgrstErrors.schema();
        }
        boolean single = false;
        boolean strip = false;
        if (accept != null && !accept.isBlank()) {
            boolean found = false;
            for (String part : accept.split(",")) {
                String[] bits = part.trim().split(";");
                String type = bits[0].trim().toLowerCase(Locale.ROOT);
                boolean stripped = false;
                for (int i = 1; i < bits.length; i++) {
                    if (bits[i].trim().equalsIgnoreCase("nulls=stripped")) {
                        stripped = true;
                    }
                }
                if (type.equals("application/vnd.pgrst.object+json") || type.equals("application/vnd.pgrst.object")) {
                    single = true;
                    strip = stripped;
                    found = true;
                    break;
                }
                if (type.equals("application/json") || type.equals("application/vnd.pgrst.array+json")
                        || type.equals("*/*") || type.equals("application/*")) {
                    strip = stripped;
                    found = true;
                    break;
                }
            }
            if (!found) {
                throw PgrstErrors.mediaType(accept);
            }
        }

        Map<String, String> prefer = new LinkedHashMap<>();
        if (preferHeaders != null) {
            for (String header : preferHeaders) {
                for (String p : header.split(",")) {
                    String t = p.trim();
                    if (t.isEmpty()) {
                        continue;
                    }
                    int eq = t.indexOf('=');
                    prefer.put(eq < 0 ? t : t.substring(0, eq).trim(), eq < 0 ? "" : t.substring(eq + 1).trim());
                }
            }
        }

        List<Map.Entry<String, String>> filters = new ArrayList<>();
        String select = null;
        String order = null;
        String columns = null;
        String onConflict = null;
        Long limit = null;
        long offset = 0;
        for (Map.Entry<String, List<String>> e : query.entrySet()) {
            String key = e.getKey();
            for (String value : e.getValue()) {
                switch (key) {
                    case "select" -> select = value;
                    case "order" -> order = value;
                    case "columns" -> columns = value;
                    case "on_conflict" -> onConflict = value;
                    case "limit" -> limit = number("limit", value);
                    case "offset" -> offset = number("offset", value);
                    default -> filters.add(Map.entry(key, value));
                }
            }
        }

        if (range != null && !range.isBlank()) {
            Matcher m = RANGE.matcher(range);
            if (m.matches()) {
                long from = Long.parseLong(m.group(1));
                Long to = m.group(2).isEmpty() ? null : Long.parseLong(m.group(2));
                if (to == null || to >= from) {
                    // the header's range intersected with limit/offset, as PostgREST does
                    long lower = Math.max(from, offset);
                    Long upper = to;
                    if (limit != null) {
                        long byLimit = offset + limit - 1;
                        upper = upper == null ? byLimit : Math.min(upper, byLimit);
                    }
                    offset = lower;
                    limit = upper == null ? null : Math.max(0, upper - lower + 1);
                }
            }
        }
        return new PgRequest(select, filters, order, limit, offset, prefer, single, strip, columns, onConflict);
    }

    private static long number(String name, String value) {
        try {
            long n = Long.parseLong(value.trim());
            if (n < 0) {
                throw QueryParts.limitError(name, value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw QueryParts.limitError(name, value);
        }
    }

    boolean countExact() {
        String c = prefer.get("count");
        return c != null && (c.equals("exact") || c.equals("planned") || c.equals("estimated"));
    }

    boolean representation() {
        return "representation".equals(prefer.get("return"));
    }

    String resolution() {
        return prefer.get("resolution");
    }

    /** {@code Prefer: handling=strict, max-affected=n}: the most rows a PATCH/DELETE may touch. */
    Long maxAffected() {
        if (!"strict".equals(prefer.get("handling")) || !prefer.containsKey("max-affected")) {
            return null;
        }
        try {
            return Long.parseLong(prefer.get("max-affected"));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
