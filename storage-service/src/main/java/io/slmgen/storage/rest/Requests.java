package io.slmgen.storage.rest;

import java.util.List;

/** Request bodies as storage-js sends them. */
public final class Requests {

    private Requests() {
    }

    public record SortBy(String column, String order) {
    }

    public record ListBody(String prefix, Integer limit, Integer offset, SortBy sortBy, String search) {
    }

    public record DeleteBody(List<String> prefixes) {
    }

    public record MoveBody(String bucketId, String sourceKey, String destinationKey, String destinationBucket) {
    }

    public record SignBody(Object expiresIn) {
    }

    public record SignManyBody(Object expiresIn, List<String> paths) {
    }

}
