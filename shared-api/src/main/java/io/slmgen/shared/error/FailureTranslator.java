package io.slmgen.shared.error;

import java.util.Optional;

/**
 * Turns a failure of some layer below the API (the database, say) into the error the caller should see.
 * {@link ErrorMappers}' catch-all asks every such bean before it answers a 500, so the API layer needs no
 * knowledge of those layers (shared-rls provides the database's).
 */
public interface FailureTranslator {

    /** The caller-facing error for {@code failure}, or empty when this translator does not know it. */
    Optional<ApiException> translate(Throwable failure);
}
