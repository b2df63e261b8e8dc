package io.slmgen.postgrest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.slmgen.shared.error.ApiException;

/**
 * Turns PostgREST's query-string grammar (select, filters, logic trees, order) into SQL fragments for
 * one table. Every identifier is checked against {@link TableSchema} and double-quoted; every value
 * becomes a parameter. The target table is always aliased {@code _t}.
 */
final class QueryParts {

    static final Set<String> RESERVED = Set.of("select", "order", "limit", "offset", "columns", "on_conflict",
            "or", "and", "not.or", "not.and");

    private static final Pattern CAST_TYPE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern ALIAS = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Map<String, String> COMPARE = Map.of("eq", "=", "neq", "<>", "gt", ">", "gte", ">=",
            "lt", "<", "lte", "<=");
    private static final Map<String, String> RANGE = Map.of("cs", "@>", "cd", "<@", "ov", "&&", "sr", ">>",
            "sl", "<<", "nxr", "&<", "nxl", "&>", "adj", "-|-");
    private static final Map<String, String> FTS = Map.of("fts", "to_tsquery", "plfts", "plainto_tsquery",
            "phfts", "phraseto_tsquery", "wfts", "websearch_to_tsquery");

    private final TableSchema table;
    private final Params params;

    QueryParts(TableSchema table, Params params) {
        this.table = table;
        this.params = params;
    }

    // ---------------------------------------------------------------- column references

    /** A column, optionally with a JSON path ({@code data->a->>b}) and a cast ({@code ::text}). */
    record Ref(String sql, String type, String name) {
    }

    Ref ref(String raw, boolean allowCast) {
        String s = raw;
        String cast = null;
        int c = s.indexOf("::");
        if (c >= 0) {
            if (!allowCast) {
                throw PgrstErrors.parse("column (" + raw + ")", "casts are only allowed in select");
            }
            cast = s.substring(c + 2);
            s = s.substring(0, c);
            if (!CAST_TYPE.matcher(cast).matches()) {
                throw PgrstErrors.parse("select parameter (" + raw + ")", "unexpected cast type " + cast);
            }
        }
        int arrow = s.indexOf("->");
        String column = unquote(arrow < 0 ? s : s.substring(0, arrow));
        TableSchema.Column col = table.column(column);
        if (col == null) {
            throw PgrstErrors.unknownColumn(table, column);
        }
        StringBuilder sql = new StringBuilder("_t.").append(Sql.ident(col.name()));
        String type = col.type();
        String name = col.name();
        if (arrow >= 0) {
            String path = s.substring(arrow);
            while (!path.isEmpty()) {
                boolean text = path.startsWith("->>");
                if (!path.startsWith("->")) {
                    throw PgrstErrors.parse("json path (" + raw + ")", "expected -> or ->>");
                }
                path = path.substring(text ? 3 : 2);
                int next = path.indexOf("->");
                String key = next < 0 ? path : path.substring(0, next);
                path = next < 0 ? "" : path.substring(next);
                if (key.isEmpty()) {
                    throw PgrstErrors.parse("json path (" + raw + ")", "empty key");
                }
                key = unquote(key);
                sql.insert(0, '(').append(text ? "->>" : "->");
                if (key.matches("-?[0-9]{1,9}")) {
                    sql.append(params.integer(Integer.parseInt(key)));
                } else {
                    sql.append(params.text(key));
                }
                sql.append(')');
                type = text ? "text" : (type.equals("json") ? "json" : "jsonb");
                name = key;
            }
        }
        if (cast != null) {
            return new Ref("(" + sql + ")::" + cast, cast, name);
        }
        return new Ref(sql.toString(), type, name);
    }

    // ---------------------------------------------------------------- select

    /** The select list, e.g. {@code _t."id" AS "id", _t."name" AS "title"}; null or blank is {@code *}. */
    String select(String select) {
        if (select == null || select.isBlank()) {
            select = "*";
        }
        List<String> out = new ArrayList<>();
        for (String item : splitTopLevel(select, ',')) {
            if (item.isEmpty()) {
                throw PgrstErrors.parse("select parameter (" + select + ")", "empty item");
            }
            if (item.equals("*")) {
                for (String col : table.columns().keySet()) {
                    out.add("_t." + Sql.ident(col) + " AS " + Sql.ident(col));
                }
                continue;
            }
            if (item.contains("(") || item.contains("!")) {
                throw PgrstErrors.parse("select parameter (" + select + ")",
                        "embedding resources is not supported by this service: " + item);
            }
            String alias = null;
            int colon = aliasColon(item);
            if (colon > 0) {
                alias = item.substring(0, colon);
                item = item.substring(colon + 1);
                alias = unquote(alias);
                if (!ALIAS.matcher(alias).matches()) {
                    throw PgrstErrors.parse("select parameter (" + select + ")", "unexpected alias " + alias);
                }
            }
            Ref r = ref(item, true);
            out.add(r.sql() + " AS " + Sql.ident(alias != null ? alias : r.name()));
        }
        return String.join(", ", out);
    }

    /** The position of an alias colon ({@code alias:col}), ignoring the {@code ::} of casts. */
    private static int aliasColon(String item) {
        for (int i = 0; i < item.length(); i++) {
            if (item.charAt(i) == ':') {
                if (i + 1 < item.length() && item.charAt(i + 1) == ':') {
                    return -1;
                }
                return i;
            }
        }
        return -1;
    }

    // ---------------------------------------------------------------- filters

    /** One filter from the query string: {@code column=[not.]op.value}. */
    String filter(String column, String expression) {
        return condition(ref(column, false), expression, column);
    }

    private String condition(Ref ref, String expression, String column) {
        String e = expression;
        boolean negate = false;
        if (e.startsWith("not.")) {
            negate = true;
            e = e.substring(4);
        }
        int dot = e.indexOf('.');
        if (dot < 0) {
            throw PgrstErrors.parse("filter (" + expression + ")", "expected an operator and a value for " + column);
        }
        String op = e.substring(0, dot);
        String value = e.substring(dot + 1);
        String modifier = null;
        int paren = op.indexOf('(');
        if (paren > 0 && op.endsWith(")")) {
            modifier = op.substring(paren + 1, op.length() - 1);
            op = op.substring(0, paren);
        }
        String sql = operator(ref, op, modifier, value, expression);
        return negate ? "NOT (" + sql + ")" : sql;
    }

    private String operator(Ref ref, String op, String modifier, String value, String expression) {
        String col = ref.sql();
        String type = ref.type();
        if (COMPARE.containsKey(op)) {
            String sqlOp = COMPARE.get(op);
            if (modifier == null) {
                return col + " " + sqlOp + " CAST(" + params.text(value) + " AS " + type + ")";
            }
            return col + " " + sqlOp + " " + quantifier(modifier, expression) + "(CAST(" + params.text(value)
                    + " AS " + type + "[]))";
        }
        switch (op) {
            case "like", "ilike", "match", "imatch" -> {
                String sqlOp = switch (op) {
                    case "like" -> "LIKE";
                    case "ilike" -> "ILIKE";
                    case "match" -> "~";
                    default -> "~*";
                };
                String pattern = op.endsWith("like") ? value.replace('*', '%') : value;
                if (modifier == null) {
                    return col + "::text " + sqlOp + " " + params.text(pattern);
                }
                return col + "::text " + sqlOp + " " + quantifier(modifier, expression) + "(CAST("
                        + params.text(pattern) + " AS text[]))";
            }
            case "is" -> {
                String v = value.toLowerCase(Locale.ROOT);
                return switch (v) {
                    case "null" -> col + " IS NULL";
                    case "not_null" -> col + " IS NOT NULL";
                    case "true" -> col + " IS TRUE";
                    case "false" -> col + " IS FALSE";
                    case "unknown" -> col + " IS UNKNOWN";
                    default -> throw PgrstErrors.parse("filter (" + expression + ")",
                            "is. takes null, not_null, true, false or unknown");
                };
            }
            case "isdistinct" -> {
                return col + " IS DISTINCT FROM CAST(" + params.text(value) + " AS " + type + ")";
            }
            case "in" -> {
                if (!value.startsWith("(") || !value.endsWith(")")) {
                    throw PgrstErrors.parse("filter (" + expression + ")", "in. takes a list in parentheses");
                }
                String inner = value.substring(1, value.length() - 1);
                if (inner.isEmpty()) {
                    return "false";
                }
                List<String> items = new ArrayList<>();
                for (String item : splitTopLevel(inner, ',')) {
                    items.add("CAST(" + params.text(unquote(item)) + " AS " + type + ")");
                }
                return col + " IN (" + String.join(", ", items) + ")";
            }
            default -> {
                if (RANGE.containsKey(op) && modifier == null) {
                    return col + " " + RANGE.get(op) + " CAST(" + params.text(value) + " AS " + type + ")";
                }
                if (FTS.containsKey(op)) {
                    String fn = FTS.get(op);
                    String config = modifier == null ? "" : params.text(modifier) + "::regconfig, ";
                    String doc = type.equals("tsvector") ? col : "to_tsvector(" + config + col + "::text)";
                    return doc + " @@ " + fn + "(" + config + params.text(value) + ")";
                }
                throw PgrstErrors.parse("filter (" + expression + ")", "unknown operator " + op);
            }
        }
    }

    private static String quantifier(String modifier, String expression) {
        return switch (modifier) {
            case "any" -> "ANY";
            case "all" -> "ALL";
            default -> throw PgrstErrors.parse("filter (" + expression + ")", "unknown modifier " + modifier);
        };
    }

    /** A logic tree: {@code or=(a.eq.1,and(b.gt.2,c.is.null))}; {@code and} joins with AND. */
    String logic(String key, String value) {
        boolean negate = key.startsWith("not.");
        String op = negate ? key.substring(4) : key;
        String sql = tree(op, value, key + "=" + value);
        return negate ? "NOT " + sql : sql;
    }

    private String tree(String op, String value, String whole) {
        if (!value.startsWith("(") || !value.endsWith(")")) {
            throw PgrstErrors.parse("logic tree (" + whole + ")", "expected a parenthesised list");
        }
        String inner = value.substring(1, value.length() - 1);
        List<String> parts = new ArrayList<>();
        for (String item : splitTopLevel(inner, ',')) {
            if (item.isEmpty()) {
                throw PgrstErrors.parse("logic tree (" + whole + ")", "empty condition");
            }
            String it = item;
            boolean negate = false;
            if (it.startsWith("not.")) {
                negate = true;
                it = it.substring(4);
            }
            String sub;
            if (it.startsWith("and(") || it.startsWith("or(")) {
                int p = it.indexOf('(');
                sub = tree(it.substring(0, p), it.substring(p), whole);
            } else {
                int dot = columnEnd(it);
                if (dot < 0) {
                    throw PgrstErrors.parse("logic tree (" + whole + ")", "expected column.operator.value in " + item);
                }
                String column = it.substring(0, dot);
                String rest = it.substring(dot + 1);
                sub = condition(ref(column, false), unquoteValue(rest), column);
            }
            parts.add(negate ? "NOT " + sub : sub);
        }
        String joiner = switch (op) {
            case "or" -> " OR ";
            case "and" -> " AND ";
            default -> throw PgrstErrors.parse("logic tree (" + whole + ")", "unknown operator " + op);
        };
        return "(" + String.join(joiner, parts) + ")";
    }

    /** Inside logic trees a scalar value may be double-quoted to carry reserved characters. */
    private static String unquoteValue(String rest) {
        // rest is [not.]op.value; only the value part may be quoted
        int dot = rest.startsWith("not.") ? rest.indexOf('.', 4) : rest.indexOf('.');
        if (dot < 0) {
            return rest;
        }
        String value = rest.substring(dot + 1);
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return rest.substring(0, dot + 1) + unquote(value);
        }
        return rest;
    }

    /** The end of the column part of {@code col.op.value} (a quoted column may contain dots). */
    private static int columnEnd(String s) {
        if (s.startsWith("\"")) {
            int close = s.indexOf('"', 1);
            return close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != '.' ? -1 : close + 1;
        }
        return s.indexOf('.');
    }

    // ---------------------------------------------------------------- order

    String order(String order) {
        List<String> out = new ArrayList<>();
        for (String term : splitTopLevel(order, ',')) {
            if (term.isEmpty()) {
                throw PgrstErrors.parse("order (" + order + ")", "empty term");
            }
            int end = columnEnd(term);
            String column = end < 0 ? term : term.substring(0, end);
            String[] mods = end < 0 ? new String[0] : term.substring(end + 1).split("\\.", -1);
            StringBuilder b = new StringBuilder(ref(column, false).sql());
            // [asc|desc][.nullsfirst|.nullslast], in that order
            int i = 0;
            if (i < mods.length && (mods[i].equals("asc") || mods[i].equals("desc"))) {
                b.append(mods[i].equals("asc") ? " ASC" : " DESC");
                i++;
            }
            if (i < mods.length && (mods[i].equals("nullsfirst") || mods[i].equals("nullslast"))) {
                b.append(mods[i].equals("nullsfirst") ? " NULLS FIRST" : " NULLS LAST");
                i++;
            }
            if (i < mods.length) {
                throw PgrstErrors.parse("order (" + order + ")", "unexpected modifier " + mods[i] + " in " + term);
            }
            out.add(b.toString());
        }
        return String.join(", ", out);
    }

    // ---------------------------------------------------------------- column lists (columns=, on_conflict=)

    List<String> columnList(String list, String what) {
        List<String> out = new ArrayList<>();
        for (String item : splitTopLevel(list, ',')) {
            String c = unquote(item.trim());
            if (!table.has(c)) {
                throw PgrstErrors.unknownPayloadColumn(table, c);
            }
            if (!out.contains(c)) {
                out.add(c);
            }
        }
        if (out.isEmpty()) {
            throw PgrstErrors.parse(what + " parameter", "no columns given");
        }
        return out;
    }

    // ---------------------------------------------------------------- lexing helpers

    /** Splits on {@code sep} outside parentheses, braces and double quotes. */
    static List<String> splitTopLevel(String s, char sep) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (quoted) {
                cur.append(ch);
                if (ch == '\\' && i + 1 < s.length()) {
                    cur.append(s.charAt(++i));
                } else if (ch == '"') {
                    quoted = false;
                }
                continue;
            }
            if (ch == '"') {
                quoted = true;
            } else if (ch == '(' || ch == '{') {
                depth++;
            } else if (ch == ')' || ch == '}') {
                depth--;
            } else if (ch == sep && depth == 0) {
                out.add(cur.toString());
                cur.setLength(0);
                continue;
            }
            cur.append(ch);
        }
        if (quoted || depth != 0) {
            throw PgrstErrors.parse("(" + s + ")", "unbalanced quotes or parentheses");
        }
        out.add(cur.toString());
        return out;
    }

    /** {@code "a \"b\""} → {@code a "b"}; anything else unchanged. */
    static String unquote(String s) {
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            StringBuilder b = new StringBuilder();
            for (int i = 1; i < s.length() - 1; i++) {
                char ch = s.charAt(i);
                if (ch == '\\' && i + 1 < s.length() - 1) {
                    ch = s.charAt(++i);
                }
                b.append(ch);
            }
            return b.toString();
        }
        return s;
    }

    static ApiException limitError(String name, String value) {
        return PgrstErrors.parse(name + " parameter (" + value + ")", name + " must be a non-negative integer");
    }
}
