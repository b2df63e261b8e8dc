package io.slmgen.jobs.client;

import java.util.Map;
import java.util.function.Function;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import io.slmgen.jobs.service.JobsError;
import io.slmgen.shared.error.ApiError;
import io.slmgen.shared.error.ApiException;

/**
 * Turns a failed call to another service into an answer for our caller: their 4xx stays the caller's
 * problem (same status, their message), their 5xx is a 502, and an unreachable service is a 503 with
 * Retry-After. {@code onNotFound} lets each call say what a 404 means to the caller.
 */
public final class Upstream {

    private static final Logger LOG = Logger.getLogger(Upstream.class);

    private Upstream() {
    }

    public static Function<Throwable, Throwable> failure(String service, Function<String, ApiException> onNotFound) {
        return t -> translate(t, service, onNotFound);
    }

    public static Throwable translate(Throwable t, String service, Function<String, ApiException> onNotFound) {
        if (t instanceof ApiException) {
            return t;
        }
        WebApplicationException w = find(t, WebApplicationException.class);
        if (w != null && w.getResponse() != null) {
            int status = w.getResponse().getStatus();
            String message = messageOf(w.getResponse());
            if (status == 404 && onNotFound != null) {
                return onNotFound.apply(message);
            }
            if (status >= 400 && status < 500) {
                // the other service's 4xx is relayed with its status; its 422 keeps naming the field at fault
                ApiException e = new ApiException(status == 422 ? ApiError.VALIDATION_FAILED : JobsError.UPSTREAM_REJECTED,
                        status, message != null ? message : service + " rejected the request (" + status + ")");
                Object field = fieldOf(w.getResponse());
                return field == null ? e : e.field(field.toString());
            }
            LOG.warnf("%s answered %d", service, status);
            return ApiError.BAD_GATEWAY.exception(service + " failed (" + status + ")");
        }
        if (find(t, ProcessingException.class) != null || find(t, java.io.IOException.class) != null
                || find(t, io.vertx.core.VertxException.class) != null
                || find(t, java.util.concurrent.TimeoutException.class) != null) {
            LOG.warnf("%s unreachable: %s", service, t.getMessage());
            return ApiError.SERVICE_UNAVAILABLE.exception(service + " is unreachable");
        }
        return t;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(Response r) {
        try {
            r.bufferEntity();
            return r.readEntity(Map.class);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String messageOf(Response r) {
        Map<String, Object> b = body(r);
        if (b == null) {
            return null;
        }
        for (String k : new String[] {"message", "msg", "detail", "error"}) {
            if (b.get(k) instanceof String s && !s.isBlank()) {
                return s;
            }
        }
        return null;
    }

    private static Object fieldOf(Response r) {
        Map<String, Object> b = body(r);
        return b == null ? null : b.get("field");
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
