package io.slmgen.jobs.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** storage-api's answer to {@code POST /object/sign/...}: the signed URL, relative to its /storage/v1. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SignedUrl(@JsonProperty("signedURL") String signedUrl) {
}
