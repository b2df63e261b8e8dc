package io.slmgen.shared.error;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/**
 * Every failure leaves a service as a JSON body in the path's shape. Expected errors carry their own
 * status; malformed input is a 400; failures of lower layers as their {@link FailureTranslator} says (the
 * database's by SQLSTATE, in shared-rls); anything else is logged here
 * (server side only) and answered with a generic 500 that reveals nothing.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @Inject
    Instance<FailureTranslator> translators;

    @ServerExceptionMapper(priority = 1)
    public Response api(ApiException e, UriInfo uri, HttpHeaders headers) {
        return ErrorResponses.of(uri, headers, e);
    }

    @ServerExceptionMapper(priority = 1)
    public Response json(JsonProcessingException e, UriInfo uri, HttpHeaders headers) {
        ApiException api;
        if (e instanceof InvalidFormatException || e instanceof MismatchedInputException) {
            String field = fieldOf((MismatchedInputException) e);
            api = (field == null ? ApiError.VALIDATION_FAILED_BAD_REQUEST.exception()
                    : ApiError.VALIDATION_FAILED_BAD_REQUEST.exception("field '" + field + "' has the wrong type"))
                    .field(field).pgCode("PGRST102");
        } else {
            api = ApiError.BAD_JSON.exception().pgCode("PGRST102");
        }
        return ErrorResponses.of(uri, headers, api);
    }

    /** Declared for the exact type so it wins over Quarkus' built-in mapper of the same type. */
    @ServerExceptionMapper(priority = 1)
    public Response mismatched(MismatchedInputException e, UriInfo uri, HttpHeaders headers) {
        return json(e, uri, headers);
    }

    @ServerExceptionMapper(priority = 1)
    public Response web(WebApplicationException e, UriInfo uri, HttpHeaders headers) {
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof JsonProcessingException jpe) {
                return json(jpe, uri, headers);
            }
        }
        int status = e.getResponse().getStatus();
        if (e instanceof NotFoundException && e.getCause() != null) {
            // JAX-RS answers 404 when a path/query parameter cannot be converted: that is a bad request
            return ErrorResponses.of(uri, headers,
                    ApiError.BAD_REQUEST.exception("a request parameter has the wrong type").pgCode("PGRST100"));
        }
        ApiError entry = switch (status) {
            case 400 -> ApiError.BAD_REQUEST;
            case 401 -> ApiError.NO_AUTHORIZATION;
            case 403 -> ApiError.FORBIDDEN;
            case 404 -> ApiError.NOT_FOUND;
            case 405 -> ApiError.METHOD_NOT_ALLOWED;
            case 406 -> ApiError.NOT_ACCEPTABLE;
            case 413 -> ApiError.PAYLOAD_TOO_LARGE;
            case 415 -> ApiError.UNSUPPORTED_MEDIA_TYPE;
            default -> status >= 500 ? ApiError.UNEXPECTED_FAILURE : ApiError.BAD_REQUEST;
        };
        String message = e instanceof NotFoundException ? "no such route or resource"
                : e instanceof NotAllowedException ? "method not allowed here"
                : status >= 500 ? "unexpected failure" : String.valueOf(e.getMessage());
        if (status >= 500) {
            LOG.error("request failed", e);
        }
        // the status JAX-RS decided stays (e.g. 503, 408), named by the nearest entry
        return ErrorResponses.of(uri, headers, new ApiException(entry, status, message));
    }

    @ServerExceptionMapper(priority = 10)
    public Response anything(Throwable e, UriInfo uri, HttpHeaders headers) {
        if (e instanceof ApiException api) {
            return ErrorResponses.of(uri, headers, api);
        }
        for (FailureTranslator translator : translators) {
            var translated = translator.translate(e);
            if (translated.isPresent()) {
                return ErrorResponses.of(uri, headers, translated.get());
            }
        }
        if (e instanceof IllegalArgumentException) {
            return ErrorResponses.of(uri, headers, ApiError.BAD_REQUEST.exception());
        }
        LOG.error("unexpected failure", e);
        return ErrorResponses.of(uri, headers, ApiError.UNEXPECTED_FAILURE.exception());
    }

    private static String fieldOf(MismatchedInputException e) {
        if (e.getPath() == null || e.getPath().isEmpty()) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        e.getPath().forEach(ref -> {
            if (ref.getFieldName() != null) {
                if (b.length() > 0) {
                    b.append('.');
                }
                b.append(ref.getFieldName());
            }
        });
        return b.length() == 0 ? null : b.toString();
    }
}
