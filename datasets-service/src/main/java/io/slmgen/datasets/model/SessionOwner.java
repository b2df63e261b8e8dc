package io.slmgen.datasets.model;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Who owns an SLMGEN session (docs/SPEC.md §15), as {@code DatasetRepository.sessionOwner} reads it:
 * {@code expired} is null when the session never expires; {@code ownerIsAnonymous} only when the upload was
 * recorded as an anonymous session and auth.users still says the owner is anonymous.
 */
public record SessionOwner(UUID datasetId, UUID userId, OffsetDateTime expiresAt, Boolean expired,
                           boolean ownerIsAnonymous) {
}
