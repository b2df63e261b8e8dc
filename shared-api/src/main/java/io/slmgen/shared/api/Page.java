package io.slmgen.shared.api;

import java.util.List;

import io.slmgen.shared.error.ApiError;

/** The body of every /api list endpoint (SPEC §1). */
public record Page<T>(List<T> items, long total, int limit, int offset) {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    /** Checks paging parameters: limit 1..100 (default 20), offset ≥ 0. */
    public static int[] bounds(Integer limit, Integer offset) {
        int l = limit == null ? DEFAULT_LIMIT : limit;
        int o = offset == null ? 0 : offset;
        if (l < 1 || l > MAX_LIMIT) {
            throw ApiError.VALIDATION_FAILED.exception("limit must be between 1 and " + MAX_LIMIT).field("limit");
        }
        if (o < 0) {
            throw ApiError.VALIDATION_FAILED.exception("offset must be 0 or more").field("offset");
        }
        return new int[] {l, o};
    }
}
