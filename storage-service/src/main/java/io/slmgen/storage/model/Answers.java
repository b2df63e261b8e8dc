package io.slmgen.storage.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** storage-api's small answers, in its field names (storage-js reads them). */
public final class Answers {

    private Answers() {
    }

    /** {@code {"message": ...}} of updates, deletes, moves and bucket emptying. */
    public record Message(@JsonProperty("message") String message) {
    }

    /** {@code {"name": ...}}: the id of a created bucket. */
    public record CreatedBucket(@JsonProperty("name") String name) {
    }

    /** A signed download URL (relative to /storage/v1). */
    public record SignedDownloadUrl(@JsonProperty("signedURL") String signedURL) {
    }

    /** A signed upload URL (relative to /storage/v1) and its token. */
    public record SignedUploadUrl(@JsonProperty("url") String url, @JsonProperty("token") String token) {
    }
}
