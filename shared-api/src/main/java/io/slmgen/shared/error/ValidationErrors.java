package io.slmgen.shared.error;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;

import io.quarkus.hibernate.validator.runtime.jaxrs.ResteasyReactiveViolationException;

/**
 * Bean Validation on request records and parameters (docs/SPEC.md §12: bad input is a clear error, never a
 * 500): a violation answers what the same rule written by hand answers, {@link ApiException#invalidField}
 * - 422 naming the field by its JSON name, in the path family's error shape - so moving a check from code
 * to an annotation changes nothing on the wire. One violation is reported (the first by field name, so
 * the answer is stable), as the hand-written checks stop at the first. A violated return value is our
 * bug: logged, and a plain 500.
 */
public class ValidationErrors {

    private static final Logger LOG = Logger.getLogger(ValidationErrors.class);
    /** Only for introspection (see {@link #jsonName}); never reads or writes a body. */
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Java property name to JSON name, per class, as Jackson's introspection gave them. */
    private static final Map<Class<?>, Map<String, String>> JSON_NAMES = new ConcurrentHashMap<>();

    /** Declared for the exact type so it wins over Quarkus' built-in mapper (a 400 in its own shape). */
    @ServerExceptionMapper(priority = 1)
    public Response resteasy(ResteasyReactiveViolationException e, UriInfo uri, HttpHeaders headers) {
        return violations(e, uri, headers);
    }

    /** Raised by validated CDI beans (services) and by {@code Validator.validate} results thrown as such. */
    @ServerExceptionMapper(priority = 1)
    public Response violations(ConstraintViolationException e, UriInfo uri, HttpHeaders headers) {
        return ErrorResponses.of(uri, headers, toApiException(e.getConstraintViolations()));
    }

    /** The error the violations stand for (also for code that validates by hand with a {@code Validator}). */
    public static ApiException toApiException(Set<? extends ConstraintViolation<?>> violations) {
        if (violations == null || violations.isEmpty()) {
            return ApiError.VALIDATION_FAILED.exception();
        }
        if (violations.stream().anyMatch(ValidationErrors::onReturnValue)) {
            LOG.errorf("a response failed its own constraints: %s", violations);
            return ApiError.UNEXPECTED_FAILURE.exception();
        }
        ConstraintViolation<?> first = violations.stream()
                .min(Comparator.comparing((ConstraintViolation<?> v) -> fieldOf(v)).thenComparing(ConstraintViolation::getMessage))
                .orElseThrow();
        String field = fieldOf(first);
        return ApiError.VALIDATION_FAILED.exception(messageOf(first, field)).field(field);
    }

    /** The JSON name of the violated value: its properties joined with '.', or the parameter's name. */
    static String fieldOf(ConstraintViolation<?> v) {
        java.util.List<String> properties = new java.util.ArrayList<>();
        String parameter = null;
        for (Path.Node node : v.getPropertyPath()) {
            if (node.getKind() == ElementKind.PARAMETER) {
                parameter = node.getName();
            } else if ((node.getKind() == ElementKind.PROPERTY || node.getKind() == ElementKind.CONTAINER_ELEMENT)
                    && node.getName() != null) {
                properties.add(node.getName());
            }
        }
        if (properties.isEmpty()) {
            return parameter == null ? "request" : parameter;
        }
        // the leaf's declaring record knows its JSON name; the records on the way name their components as
        // the JSON does
        int leaf = properties.size() - 1;
        properties.set(leaf, jsonName(v.getLeafBean() == null ? null : v.getLeafBean().getClass(), properties.get(leaf)));
        return String.join(".", properties);
    }

    private static String messageOf(ConstraintViolation<?> v, String field) {
        String template = v.getMessageTemplate();
        // a constraint's default message ("must not be null") says nothing of which field: name it
        boolean defaultMessage = template != null && template.startsWith("{jakarta.validation.constraints.");
        return defaultMessage ? field + " " + v.getMessage() : v.getMessage();
    }

    private static boolean onReturnValue(ConstraintViolation<?> v) {
        for (Path.Node node : v.getPropertyPath()) {
            if (node.getKind() == ElementKind.RETURN_VALUE) {
                return true;
            }
        }
        return false;
    }

    /**
     * The JSON name Jackson binds {@code javaName} of {@code owner} to, asked of Jackson's own introspection:
     * whatever names a property ({@code @JsonProperty}, a {@code @JsonNaming} rule) counts as it does for the
     * body. The services register no global naming rule or mix-in, so a plain mapper sees what theirs sees.
     */
    private static String jsonName(Class<?> owner, String javaName) {
        if (owner == null) {
            return javaName;
        }
        return JSON_NAMES.computeIfAbsent(owner, ValidationErrors::jsonNamesOf).getOrDefault(javaName, javaName);
    }

    private static Map<String, String> jsonNamesOf(Class<?> owner) {
        Map<String, String> names = new HashMap<>();
        DeserializationConfig config = JSON.getDeserializationConfig();
        for (BeanPropertyDefinition p : config.introspect(config.constructType(owner)).findProperties()) {
            names.put(p.getInternalName(), p.getName());
        }
        return names;
    }
}
