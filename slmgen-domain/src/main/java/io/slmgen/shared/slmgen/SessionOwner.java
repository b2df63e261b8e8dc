package io.slmgen.shared.slmgen;

import java.time.OffsetDateTime;
import java.util.UUID;

/** Who owns an SLMGEN session (a dataset), as datasets-service reports it to service_role callers. */
public record SessionOwner(UUID dataset_id, UUID user_id, boolean owner_is_anonymous, OffsetDateTime expires_at) {

    public boolean expired() {
        return expires_at != null && expires_at.isBefore(OffsetDateTime.now());
    }
}
