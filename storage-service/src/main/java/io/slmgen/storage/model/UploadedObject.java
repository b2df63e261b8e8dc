package io.slmgen.storage.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** storage-api's answer to an upload, copy or signed upload: the new row's id and {@code bucket/name}. */
public record UploadedObject(@JsonProperty("Id") String id, @JsonProperty("Key") String key) {
}
