package io.slmgen.shared.db;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.slmgen.shared.error.ApiException;
import io.slmgen.shared.error.ErrorResponses;
import io.slmgen.shared.error.FailureTranslator;
import io.vertx.pgclient.PgException;

/**
 * A database failure that escaped a service's own handling still answers by SQLSTATE (a policy violation
 * or a bad value a 4xx, an unreachable database a retriable 503; {@link DbErrors}), never a 500.
 */
@ApplicationScoped
public class DbFailures implements FailureTranslator {

    @Override
    public Optional<ApiException> translate(Throwable failure) {
        return DbErrors.translate(failure, null) instanceof ApiException api ? Optional.of(api) : Optional.empty();
    }

    @ServerExceptionMapper(priority = 1)
    public Response pg(PgException e, UriInfo uri, HttpHeaders headers) {
        return ErrorResponses.of(uri, headers, DbErrors.fromSqlState(e.getSqlState(), e.getErrorMessage(),
                e.getDetail(), e.getHint(), null));
    }
}
